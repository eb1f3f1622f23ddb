#include "engine/backend_thread.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace convcheck {
namespace {

class TaskQueue {
 public:
  TaskQueue() { std::thread([this] { Serve(); }).detach(); }

  std::shared_future<void> Push(std::function<void()> task) {
    std::packaged_task<void()> job(std::move(task));
    std::shared_future<void> done = job.get_future().share();
    {
      std::lock_guard<std::mutex> lock(mutex_);
      jobs_.push_back(std::move(job));
    }
    ready_.notify_one();
    return done;
  }

 private:
  void Serve() {
    while (true) {
      std::packaged_task<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        ready_.wait(lock, [this] { return !jobs_.empty(); });
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::packaged_task<void()>> jobs_;
};

}  // namespace

// Each queue is never destroyed: its thread is detached and serves until the process exits, so
// no static destructor can pull the queue from under it.
std::shared_future<void> RunOnBackendThread(std::function<void()> task) {
  static auto* queue = new TaskQueue;
  return queue->Push(std::move(task));
}

std::shared_future<void> RunOnNumericThread(std::function<void()> task) {
  static auto* queue = new TaskQueue;
  return queue->Push(std::move(task));
}

}  // namespace convcheck
