#include "reports/failure_messages.h"

#include <algorithm>
#include <map>

namespace convcheck::report {

std::vector<MessageCount> MergeMessages(const std::vector<MessageCount>& a, const std::vector<MessageCount>& b) {
  std::map<std::string, int64_t> by_text;
  for (const MessageCount& m : a) by_text[m.text] += m.count;
  for (const MessageCount& m : b) by_text[m.text] += m.count;
  std::vector<MessageCount> out;
  for (const auto& [text, count] : by_text) out.push_back({text, count});
  std::stable_sort(out.begin(), out.end(), [](const MessageCount& x, const MessageCount& y) {
    return x.count > y.count;  // by_text already ordered the ties by text
  });
  if (out.size() > kMaxFailureMessages) out.resize(kMaxFailureMessages);
  return out;
}

int64_t UnlistedOccurrences(const Failure& f) {
  int64_t listed = 0;
  for (const MessageCount& m : f.messages) listed += m.count;
  return std::max<int64_t>(0, f.occurrences - listed);
}

}  // namespace convcheck::report
