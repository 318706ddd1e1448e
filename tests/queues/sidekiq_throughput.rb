#!/usr/bin/ruby
# frozen_string_literal: true

# Runs one real `sidekiq` process over --jobs jobs of which --fail raise (retry: false), waits
# until Sidekiq's own counters hold them all, prints what Sidekiq::Stats says (totals and today's
# history) and stops the process. For the throughput tests.
#
# Usage: sidekiq_throughput.rb --url redis://127.0.0.1:PORT/0 --queue NAME --jobs N --fail M
#   -> {"ready": true, "processed": N, "failed": M, "today": {"processed": N, "failed": M}}

require "json"
require "sidekiq"
require "sidekiq/api"
require_relative "fixture_common"

# The jobs: "fail" raises, anything else returns.
class QsThroughputJob
  include Sidekiq::Worker
  sidekiq_options retry: false
  def perform(outcome)
    raise "fixture failure" if outcome == "fail"
  end
end

module Fixture
  extend FixtureCommon
  module_function

  def option(name, default = nil)
    index = ARGV.index("--#{name}")
    index ? ARGV[index + 1] : default
  end

  def main
    url = option("url")
    queue = option("queue", "default")
    jobs = Integer(option("jobs", "10"))
    failing = Integer(option("fail", "0"))
    Sidekiq.configure_client { |c| c.redis = {url: url} }
    jobs.times do |i|
      QsThroughputJob.set(queue: queue).perform_async(i < failing ? "fail" : "ok")
    end
    pid = Process.spawn({"REDIS_URL" => url}, "sidekiq", "-r", File.expand_path(__FILE__),
                        "-q", queue, "-c", "4", "-t", "5",
                        out: File::NULL, err: File::NULL, in: File::NULL, pgroup: true)
    # The counters are flushed by the process's heartbeat (every 5 s in Sidekiq 6).
    wait_for("Sidekiq's counters to hold every job", 90) { Sidekiq::Stats.new.processed >= jobs }
    stats = Sidekiq::Stats.new
    today = Sidekiq::Stats::History.new(1)
    day = today.processed.keys.first
    say({"ready" => true, "processed" => stats.processed, "failed" => stats.failed,
         "today" => {"date" => day, "processed" => today.processed[day],
                     "failed" => today.failed[day]}})
  ensure
    if pid
      Process.kill("TERM", pid)
      Process.wait(pid)
    end
  end
end

Fixture.main if $PROGRAM_NAME == __FILE__
