#!/usr/bin/ruby
# frozen_string_literal: true

# Puts Sidekiq jobs in every state with Sidekiq's own client API and a real `sidekiq` process,
# then reports Sidekiq's own numbers (Sidekiq::Stats, Sidekiq::Queue), for QueueScope's
# integration tests.
#
# Usage: make_sidekiq_states.rb --url redis://127.0.0.1:PORT/0 [--namespace NS] --queues NAME...
#
# States: enqueued jobs in every queue; scheduled (perform_in); retry and dead (jobs that really
# failed in the sidekiq process, which consumes only the first queue); busy (a job the process
# runs until released); processed/failed counters.
#
# Line protocol on stdin/stdout (one JSON object per line):
#   -> {"ready": true, ...}
#   <- counts
#   -> {"counts": {"stats": {...}, "queues": {name: {"size": n, "latency": s}}}}
#   <- quit, or end of input          releases the held job and stops the sidekiq process

require "json"
require "sidekiq"
require "sidekiq/api"
require_relative "fixture_common"

HELD_KEY = "qs-fixture:held"

# The process started below loads this file with -r to find the job classes; the namespace
# reaches it through the environment.
if ENV["QS_SIDEKIQ_NAMESPACE"].to_s != ""
  Sidekiq.configure_server { |c| c.redis = {url: ENV["REDIS_URL"], namespace: ENV["QS_SIDEKIQ_NAMESPACE"]} }
end

class QsFixtureJob
  include Sidekiq::Worker
  def perform(n); end
end

class QsFailingJob
  include Sidekiq::Worker
  sidekiq_options retry: 3
  sidekiq_retry_in { 3600 } # stays in the retry set for the whole test
  def perform(n)
    raise "fixture failure #{n}"
  end
end

class QsDoomedJob
  include Sidekiq::Worker
  sidekiq_options retry: 0 # no retries: straight to the dead set
  def perform(n)
    raise "fixture death #{n}"
  end
end

module Fixture
  extend FixtureCommon
  module_function

  def create(url, namespace, names)
    work = names.first
    Sidekiq.redis { |c| c.del(RELEASE_KEY, HELD_KEY) }
    # Run in this order by the single thread: two failures (-> retry), one death (-> dead),
    # one success, then the job that keeps the thread busy.
    2.times { |n| QsFailingJob.set(queue: work).perform_async(n) }
    QsDoomedJob.set(queue: work).perform_async(0)
    QsFixtureJob.set(queue: work).perform_async(0)
    QsHeldJob.set(queue: work).perform_async(HELD_KEY)

    env = {"REDIS_URL" => url, "QS_SIDEKIQ_NAMESPACE" => namespace.to_s}
    pid = Process.spawn(env, "sidekiq", "-r", File.expand_path(__FILE__), "-q", work, "-c", "1",
                        "-t", "5", out: $stderr, err: $stderr, in: File::NULL, pgroup: true)
    wait_for("the held job to start") { Sidekiq.redis { |c| c.exists?(HELD_KEY) } }

    names.each_with_index do |name, i|
      (i + 2).times { |n| Sidekiq::Client.push("queue" => name, "class" => "QsFixtureJob", "args" => [n]) }
      (i + 1).times { |n| QsFixtureJob.set(queue: name).perform_in(3600, n) }
    end
    # Counters and `busy` reach Redis with the process heartbeat (every ~5 s).
    wait_for("the heartbeat to report", 30) do
      stats = Sidekiq::Stats.new
      stats.retry_size == 2 && stats.dead_size == 1 && stats.failed == 3 &&
        stats.processed == 4 && stats.workers_size == 1
    end
    pid
  end

  def counts(names)
    stats = Sidekiq::Stats.new
    {
      "stats" => {
        "processed" => stats.processed, "failed" => stats.failed,
        "scheduled" => stats.scheduled_size, "retries" => stats.retry_size,
        "dead" => stats.dead_size, "processes" => stats.processes_size,
        "busy" => stats.workers_size
      },
      "queues" => names.to_h do |name|
        queue = Sidekiq::Queue.new(name)
        [name, {"size" => queue.size, "latency" => queue.latency}]
      end
    }
  end

  def stop(pid)
    return unless pid
    Sidekiq.redis { |c| c.set(RELEASE_KEY, "1") }
    Process.kill("TERM", pid)
    Process.wait(pid)
  end

  def main(argv)
    url = nil
    namespace = nil
    names = []
    args = argv.map { |a| a.dup.force_encoding(Encoding::UTF_8) }
    until args.empty?
      case (arg = args.shift)
      when "--url" then url = args.shift
      when "--namespace" then namespace = args.shift
      when "--queues" then names.concat(args.shift(args.size))
      else abort("make_sidekiq_states: unknown argument #{arg}")
      end
    end
    abort("usage: make_sidekiq_states.rb --url URL [--namespace NS] --queues NAME...") if url.nil? || names.empty?

    Sidekiq.configure_client { |c| c.redis = {url: url, namespace: namespace}.compact }
    pid = nil
    begin
      pid = create(url, namespace, names)
      say({"ready" => true, "queues" => names})
      $stdin.each_line do |line|
        case line.strip
        when "counts" then say({"counts" => counts(names)})
        when "quit" then break
        end
      end
    ensure
      stop(pid)
    end
  end
end

Fixture.main(ARGV) if $PROGRAM_NAME == __FILE__
