#!/usr/bin/ruby
# frozen_string_literal: true

# Proves the Sidekiq action scripts (models/frameworks/sidekiq/scripts/sidekiq-*.lua) against Sidekiq 6.4.1's
# own client/API and real, unmodified `sidekiq` processes, on a throwaway redis-server, without
# and with a redis-namespace.
#
# Run: ruby tests/actions/sidekiq_actions_test.rb   (any cwd; exits non-zero on failure)
#
# Scripts are called only through their `--!` header (script_caller.rb), with a plain Redis
# client (no namespace magic: keys are prefixed by the header templates, as the engine does).
# The sidekiq processes load this file with -r for the job classes.

require "json"
require "sidekiq"
require "sidekiq/api"

Redis.silence_deprecations = true # redis-rb 4.8 warns on every Sidekiq SADD

HEAL_KEY = "qs-test:heal"
DONE_KEY = "qs-test:done" # hash jid -> completion time (float s), written by the jobs

if ENV["QS_SIDEKIQ_NAMESPACE"].to_s != ""
  Sidekiq.configure_server { |c| c.redis = {url: ENV["REDIS_URL"], namespace: ENV["QS_SIDEKIQ_NAMESPACE"]} }
end

module QsRecordsCompletion
  def complete
    Sidekiq.redis { |c| c.hset(DONE_KEY, jid, Time.now.to_f.to_s) }
  end

  def healed?
    Sidekiq.redis { |c| c.exists?(HEAL_KEY) }
  end
end

class QsFlakyJob # -> retry set (stays there: first retry in an hour)
  include Sidekiq::Worker
  include QsRecordsCompletion
  sidekiq_options retry: 3
  sidekiq_retry_in { 3600 }
  def perform(n)
    raise "flaky job #{n} fails until healed" unless healed?
    complete
  end
end

class QsDoomedJob # -> dead set (no retries)
  include Sidekiq::Worker
  include QsRecordsCompletion
  sidekiq_options retry: 0
  def perform(n)
    raise "doomed job #{n} fails until healed" unless healed?
    complete
  end
end

class QsPlainJob
  include Sidekiq::Worker
  include QsRecordsCompletion
  def perform(n)
    complete
  end
end

if $PROGRAM_NAME == __FILE__
  $LOAD_PATH.unshift(__dir__)
  # redis_server first: its at_exit (stop the server) must run after minitest's (run the tests).
  require "redis_server"
  require "script_caller"
  require "minitest/autorun"
  require "tmpdir"
  require "waiting"

  SERVER = RedisServer.start
  LOG_DIR = Dir.mktmpdir("qs-sidekiq-actions-")
  Minitest.after_run do
    SERVER.stop
    FileUtils.rm_rf(LOG_DIR)
  end

  def log(text)
    warn(text)
  end

  def now_ms
    (Time.now.to_f * 1000).to_i
  end

  # A real sidekiq process for the given queues.
  class SidekiqProcess
    attr_reader :log_file

    def initialize(namespace, queues, concurrency: 2)
      env = {"REDIS_URL" => SERVER.url, "QS_SIDEKIQ_NAMESPACE" => namespace.to_s}
      @log_file = File.join(LOG_DIR, "sidekiq-#{Process.clock_gettime(Process::CLOCK_MONOTONIC)}.log")
      args = queues.flat_map { |q| ["-q", q] }
      @pid = Process.spawn(env, "sidekiq", "-r", File.expand_path(__FILE__), *args,
                           "-c", concurrency.to_s, "-t", "5", out: @log_file, err: @log_file,
                           in: File::NULL, pgroup: true)
      ns = namespace.to_s.empty? ? "" : "#{namespace}:"
      raw = SERVER.client
      wait_for("sidekiq to start (log #{@log_file})", 60) do
        raw.smembers("#{ns}processes").any? { |id| raw.hget("#{ns}#{id}", "beat") }
      end
      sleep 0.3 # its fetchers reach BRPOP
    end

    def stop
      return unless @pid
      Process.kill("TERM", @pid)
      Process.wait(@pid)
      @pid = nil
    end
  end

  # The tests of one namespace ("" = none). Subclassed below for each.
  module SidekiqActionTests
    def setup
      @raw = SERVER.client
      @raw.flushall
      @ns = self.class::NAMESPACE
      @k = @ns.empty? ? "" : "#{@ns}:"
      Sidekiq.configure_client { |c| c.redis = {url: SERVER.url, namespace: (@ns.empty? ? nil : @ns)}.compact }
      @move = ActionScript.new("sidekiq-move")
      @delete = ActionScript.new("sidekiq-delete")
      @clear = ActionScript.new("sidekiq-clear")
    end

    def teardown
      @process&.stop
    end

    def call(script, queue: "", **params)
      script.call(@raw, queue: queue, prefix: @ns, **params)
    end

    def members(set)
      @raw.zrange("#{@k}#{set}", 0, -1)
    end

    def jid_of(json)
      Sidekiq.load_json(json)["jid"]
    end

    # What Sidekiq does to a payload before Client.push (SortedEntry#retry / #add_to_queue):
    # the caller's client-side edit.
    def edited(member, retry_now:)
      job = Sidekiq.load_json(member)
      job["retry_count"] -= 1 if retry_now && job["retry_count"]
      job.delete("at")
      job["enqueued_at"] = Time.now.to_f
      [member, job["queue"], Sidekiq.dump_json(job)]
    end

    # Every jid in exactly one place: a set, a queue list, or completed.
    def places(jid)
      found = []
      %w[retry dead schedule].each do |set|
        found += [set] * members(set).count { |m| jid_of(m) == jid }
      end
      @raw.smembers("#{@k}queues").each do |q|
        found += ["queue:#{q}"] * @raw.lrange("#{@k}queue:#{q}", 0, -1).count { |m| jid_of(m) == jid }
      end
      found << "done" if @raw.hexists("#{@k}#{DONE_KEY}", jid)
      found
    end

    def make_states
      jids = {}
      jids[:flaky] = 4.times.map { |n| QsFlakyJob.set(queue: "work").perform_async(n) }
      jids[:flaky_other] = [QsFlakyJob.set(queue: "other").perform_async(9)]
      jids[:doomed] = 2.times.map { |n| QsDoomedJob.set(queue: "work").perform_async(n) }
      jids[:scheduled] = 2.times.map { |n| QsPlainJob.set(queue: "work").perform_in(3600, n) }
      @process = SidekiqProcess.new(@ns, %w[work other])
      wait_for("the failures") { @raw.zcard("#{@k}retry") == 5 && @raw.zcard("#{@k}dead") == 2 }
      jids
    end

    def test_move_mirrors_sidekiq_and_a_live_process_completes
      jids = make_states
      @process.stop # park: the pushed payloads stay in the queue for comparison
      find = ->(set, jid) { members(set).find { |m| jid_of(m) == jid } }

      # Sidekiq's own "Retry now" / "Add to queue" on one job, the script on its twin.
      a, b, c, d = jids[:flaky]
      Sidekiq::RetrySet.new.find_job(a).retry
      e, f = jids[:doomed]
      Sidekiq::DeadSet.new.find_job(e).retry
      g, h = jids[:scheduled]
      Sidekiq::ScheduledSet.new.find_job(g).add_to_queue
      item_b = edited(find.call("retry", b), retry_now: true)
      item_f = edited(find.call("dead", f), retry_now: true)
      item_h = edited(find.call("schedule", h), retry_now: false)
      out = call(@move, state: "retry", items: [item_b])
      assert_equal [1, 0], [out.done, out.skipped], out.inspect
      assert_equal 1, call(@move, state: "dead", items: [item_f]).done
      assert_equal 1, call(@move, state: "schedule", items: [item_h]).done
      queue = @raw.lrange("#{@k}queue:work", 0, -1).map { |m| Sidekiq.load_json(m) }.to_h { |j| [j["jid"], j] }
      [[a, b, item_b], [e, f, item_f], [g, h, item_h]].each do |theirs, ours, item|
        assert_equal queue[theirs].keys.sort, queue[ours].keys.sort
        %w[retry_count error_class queue class retry].each do |field|
          assert queue[theirs][field] == queue[ours][field], "#{field}: #{queue[theirs][field].inspect} vs #{queue[ours][field].inspect}"
        end
        # Apart from retry_count and enqueued_at, the pushed job is the member as it was.
        original = Sidekiq.load_json(item[0])
        assert_equal original.reject { |k, _| %w[retry_count enqueued_at].include?(k) },
                     queue[ours].reject { |k, _| %w[retry_count enqueued_at].include?(k) }
        assert_in_delta Time.now.to_f, queue[ours]["enqueued_at"], 30
      end
      assert_equal(-1, queue[b]["retry_count"])
      assert_includes @raw.smembers("#{@k}queues"), "work"

      # Twice acts once; a member changed meanwhile (Sidekiq's own retry took it) is skipped.
      again = call(@move, state: "retry", items: [item_b])
      assert_equal [0, 1], [again.done, again.skipped]
      assert_equal "not in retry (gone or changed)", again.reason_for(b)
      item_c = edited(find.call("retry", c), retry_now: true)
      Sidekiq::RetrySet.new.find_job(c).retry
      assert_equal 0, call(@move, state: "retry", items: [item_c]).done
      assert_equal 1, @raw.lrange("#{@k}queue:work", 0, -1).count { |m| jid_of(m) == c }

      # Sidekiq's retry removes every entry sharing the score; the script only the exact one.
      twin = Sidekiq.load_json(find.call("retry", d)).merge("jid" => "samescore0000000000000")
      score = @raw.zscore("#{@k}retry", find.call("retry", d))
      @raw.zadd("#{@k}retry", score, Sidekiq.dump_json(twin))
      size = @raw.zcard("#{@k}retry")

      # A live process picks the moved jobs up and completes them.
      @raw.set("#{@k}#{HEAL_KEY}", "1")
      @process = SidekiqProcess.new(@ns, %w[work other])
      wait_for("the parked jobs") { [a, b, c, e, f, g, h].all? { |j| @raw.hexists("#{@k}#{DONE_KEY}", j) } }
      started = Time.now.to_f
      out = call(@move, state: "retry", items: [edited(find.call("retry", d), retry_now: true)])
      assert_equal 1, out.done
      wait_for("d to complete") { @raw.hexists("#{@k}#{DONE_KEY}", d) }
      latency = @raw.hget("#{@k}#{DONE_KEY}", d).to_f - started
      log(format("sidekiq-move [ns=%s]: live sidekiq completed the moved job %.0f ms after the call",
                 @ns.inspect, latency * 1000))
      assert_equal size - 1, @raw.zcard("#{@k}retry")
      assert_equal ["retry"], places("samescore0000000000000")
      # The job of queue "other" goes to its own queue.
      other = jids[:flaky_other].first
      out = call(@move, state: "retry", items: [edited(find.call("retry", other), retry_now: true)])
      assert_equal 1, out.done
      wait_for("the other queue's job") { @raw.hexists("#{@k}#{DONE_KEY}", other) }
      (jids.values.flatten).each { |jid| assert_equal ["done"], places(jid), jid }
    end

    def test_retry_all_by_pages_of_1000
      count = 1500
      Sidekiq::Client.push_bulk("class" => QsFlakyJob, "queue" => "bulk", "args" => count.times.map { |n| [n] })
      t0 = Time.now
      @process = SidekiqProcess.new(@ns, %w[bulk], concurrency: 10)
      wait_for("#{count} failures", 60) { @raw.zcard("#{@k}retry") == count }
      log(format("sidekiq-move [ns=%s]: %d real failures in %.1f s", @ns.inspect, count, Time.now - t0))
      @process.stop
      jids = members("retry").map { |m| jid_of(m) }
      # "all" as the caller drives it: page ZRANGE 0..limit-1, edit, send; until the page is empty.
      times = []
      moved = 0
      loop do
        page = @raw.zrange("#{@k}retry", 0, 999)
        break if page.empty?
        out = call(@move, state: "retry", items: page.map { |m| edited(m, retry_now: true) })
        assert_equal page.size, out.done
        moved += out.done
        times << out.timing
      end
      log("sidekiq-move [ns=#{@ns.inspect}] retry all #{moved}: #{times.join('; ')}")
      queued = @raw.lrange("#{@k}queue:bulk", 0, -1).map { |m| jid_of(m) }
      assert_equal count, queued.size            # nothing duplicated
      assert_equal jids.sort, queued.sort        # nothing lost
      assert_equal 0, @raw.zcard("#{@k}retry")
      @raw.set("#{@k}#{HEAL_KEY}", "1")
      t0 = Time.now
      @process = SidekiqProcess.new(@ns, %w[bulk], concurrency: 10)
      wait_for("the moved jobs to complete", 60) { @raw.hlen("#{@k}#{DONE_KEY}") == count }
      log(format("sidekiq-move [ns=%s]: live sidekiq completed %d moved jobs in %.1f s", @ns.inspect, count, Time.now - t0))
      assert_equal 0, @raw.llen("#{@k}queue:bulk")
    end

    def test_delete_and_clear
      jids = make_states
      @process.stop
      parked = 3.times.map { |n| Sidekiq::Client.push("queue" => "parked", "class" => "QsPlainJob", "args" => [n]) }
      find = ->(set, jid) { members(set).find { |m| jid_of(m) == jid } }
      retry_member = find.call("retry", jids[:flaky].first)
      dead_member = find.call("dead", jids[:doomed].first)
      sched_member = find.call("schedule", jids[:scheduled].first)
      queue_member = @raw.lrange("#{@k}queue:parked", 0, -1).find { |m| jid_of(m) == parked.first }
      [["retry", retry_member], ["dead", dead_member], ["schedule", sched_member]].each do |state, member|
        out = call(@delete, state: state, items: [member])
        assert_equal [1, 0], [out.done, out.skipped], state
        again = call(@delete, state: state, items: [member])
        assert_equal [0, 1], [again.done, again.skipped]
        assert_equal "not in #{state} (gone or changed)", again.reason_for(jid_of(member))
      end
      out = call(@delete, queue: "parked", state: "queue", items: [queue_member])
      assert_equal 1, out.done
      assert_equal 0, call(@delete, queue: "parked", state: "queue", items: [queue_member]).done
      assert_equal [], places(jids[:flaky].first)
      assert_equal [], places(parked.first)
      assert_equal ["queue:parked"], places(parked.last)

      out = call(@clear, queue: "parked", state: "queue")
      assert_equal 2, out.done
      refute @raw.exists?("#{@k}queue:parked")
      refute_includes @raw.smembers("#{@k}queues"), "parked"
      assert_includes @raw.smembers("#{@k}queues"), "work"
      assert_equal Sidekiq::Queue.new("parked").size, 0
      { "retry" => 4, "dead" => 1, "schedule" => 1 }.each do |state, n|
        assert_equal n, call(@clear, state: state).done, state
        refute @raw.exists?("#{@k}#{state}")
      end
      assert_equal 0, Sidekiq::Stats.new.retry_size
    end
  end

  class SidekiqActionsPlain < Minitest::Test
    NAMESPACE = ""
    include SidekiqActionTests
  end

  class SidekiqActionsNamespaced < Minitest::Test
    NAMESPACE = "qsns"
    include SidekiqActionTests
  end
end
