#!/usr/bin/ruby
# frozen_string_literal: true

# Runs one real `sidekiq` process for QueueScope's worker tests, with a 1 s heartbeat whose keys
# expire after 3 s (Sidekiq 6: every 5 s, 60 s), so that a killed process is offline within
# seconds.
#
# Usage: sidekiq_workers.rb --url redis://127.0.0.1:PORT/0 --queue NAME
#
# Line protocol on stdin/stdout (one JSON object per line):
#   -> {"ready": true, "pid": N}       once the process's first heartbeat is in Redis
#   <- slow   -> {"jid": JID, "queue": NAME}   once a held job runs and a heartbeat reported it
#   <- quiet  -> {"signalled": "TSTP"}
#   <- kill   -> {"killed": PID}       SIGKILL: no goodbye, the heartbeat keys just expire
#   <- quit, or end of input           releases held jobs and stops the process

require "json"
require "sidekiq"
require "sidekiq/api"
require "sidekiq/launcher"
require_relative "fixture_common"

BEAT_TTL = 3

# Loaded by the sidekiq process too (-r this file): the short heartbeat lives there.
module QsQuickHeartbeat
  private

  def ❤
    super
    key = identity
    Sidekiq.redis do |conn|
      conn.expire(key, BEAT_TTL)
      conn.expire("#{key}:workers", BEAT_TTL)
    end
  end
end
Sidekiq::Launcher.prepend(QsQuickHeartbeat)
Sidekiq::Launcher.send(:remove_const, :BEAT_PAUSE)
Sidekiq::Launcher.const_set(:BEAT_PAUSE, 1)

module Fixture
  extend FixtureCommon
  module_function

  def running?(jid)
    Sidekiq::Workers.new.any? do |_process, _thread, work|
      payload = work["payload"]
      payload = JSON.parse(payload) if payload.is_a?(String)
      payload["jid"] == jid
    end
  end

  def main
    url = ARGV[ARGV.index("--url") + 1]
    queue = ARGV[ARGV.index("--queue") + 1]
    Sidekiq.configure_client { |c| c.redis = {url: url} }
    Sidekiq.redis { |c| c.del(RELEASE_KEY) }
    pid = Process.spawn({"REDIS_URL" => url}, "sidekiq", "-r", File.expand_path(__FILE__),
                        "-q", queue, "-c", "2", "-t", "5",
                        out: $stderr, err: $stderr, in: File::NULL, pgroup: true)
    wait_for("the first heartbeat") { Sidekiq::ProcessSet.new(false).any? { |p| p["pid"] == pid } }
    say({"ready" => true, "pid" => pid})
    held = 0
    alive = true
    $stdin.each_line do |line|
      case line.strip
      when "slow"
        held += 1
        marker = "qs-fixture:held:#{held}"
        jid = QsHeldJob.set(queue: queue).perform_async(marker)
        wait_for("the held job to start") { Sidekiq.redis { |c| c.exists?(marker) } }
        wait_for("a heartbeat to report it") { running?(jid) }
        say({"jid" => jid, "queue" => queue})
      when "quiet"
        Process.kill("TSTP", pid)
        say({"signalled" => "TSTP"})
      when "kill"
        Process.kill("KILL", pid)
        Process.wait(pid)
        alive = false
        say({"killed" => pid})
      when "quit"
        break
      end
    end
  ensure
    Sidekiq.redis { |c| c.set(RELEASE_KEY, "1") }
    if alive && pid
      Process.kill("TERM", pid)
      Process.wait(pid)
    end
  end
end

Fixture.main if $PROGRAM_NAME == __FILE__
