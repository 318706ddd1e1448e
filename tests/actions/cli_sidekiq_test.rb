#!/usr/bin/ruby
# frozen_string_literal: true

# The real `queuescope` binary (QS_QUEUESCOPE_BIN) on Sidekiq 6.4 jobs that a real sidekiq
# process failed: it lists the retry set, retries every retry of one queue (the process then
# finishes them), leaves other queues' retries alone, and deletes a dead job by jid.
#
# Run: QS_QUEUESCOPE_BIN=build/app/queuescope ruby tests/actions/cli_sidekiq_test.rb

require "json"
require "open3"
require "tmpdir"
require_relative "sidekiq_actions_test" # the job classes (also loaded by the sidekiq process)
require_relative "redis_server"
require_relative "waiting"
require "minitest/autorun"

BIN = ENV.fetch("QS_QUEUESCOPE_BIN")
SERVER = RedisServer.start
HOME = Dir.mktmpdir("qs-cli-sidekiq-home-")
Minitest.after_run do
  SERVER.stop
  FileUtils.rm_rf(HOME)
end

class CliSidekiqTest < Minitest::Test
  def setup
    @raw = SERVER.client
    @raw.flushall
    Sidekiq.configure_client { |c| c.redis = {url: SERVER.url} }
  end

  def teardown
    return unless @pid
    Process.kill("TERM", @pid)
    Process.wait(@pid)
  end

  def queuescope(*args)
    env = ENV.to_h.reject { |k, _| k.start_with?("REDIS_") }.merge("HOME" => HOME)
    out, err, status = Open3.capture3(env, BIN, *args)
    [status.exitstatus, (JSON.parse(out) rescue nil), out + err]
  end

  def start_sidekiq(queues)
    log = File.join(HOME, "sidekiq.log")
    @pid = Process.spawn({"REDIS_URL" => SERVER.url}, "sidekiq", "-r",
                         File.expand_path("sidekiq_actions_test.rb", __dir__),
                         *queues.flat_map { |q| ["-q", q] }, "-c", "2", "-t", "5",
                         out: log, err: log, in: File::NULL, pgroup: true)
    wait_for("sidekiq to start", 60) { @raw.smembers("processes").any? }
  end

  def test_retry_all_of_one_queue_and_delete_a_dead_job
    mine = 3.times.map { |n| QsFlakyJob.set(queue: "mails").perform_async(n) }
    theirs = QsFlakyJob.set(queue: "other").perform_async(9)
    doomed = QsDoomedJob.set(queue: "mails").perform_async(7)
    start_sidekiq(%w[mails other])
    wait_for("the failures") { @raw.zcard("retry") == 4 && @raw.zcard("dead") == 1 }

    code, page, out = queuescope("jobs", "--url", SERVER.url, "sidekiq/mails", "retries", "--json")
    assert_equal 0, code, out
    assert_equal 4, page["total"] # the retry set spans queues
    assert_equal (mine + [theirs]).sort, page["jobs"].map { |j| j["id"] }.sort
    assert page["jobs"].all? { |j| j["failedReason"].include?("fails until healed") }, out

    @raw.set(HEAL_KEY, "1")
    code, result, out = queuescope("retry", "--url", SERVER.url, "sidekiq/mails", "--state",
                                   "retries", "--all", "--yes", "--json")
    assert_equal 0, code, out
    assert_equal 3, result["done"], out
    wait_for("the retried jobs to finish") { mine.all? { |jid| @raw.hexists(DONE_KEY, jid) } }
    remaining = @raw.zrange("retry", 0, -1).map { |m| JSON.parse(m)["jid"] }
    assert_equal [theirs], remaining # another queue's retry stays where it was

    # The window names a job by its exact member (what its page listed): that works too.
    member = @raw.zrange("retry", 0, 0).first
    code, result, out = queuescope("retry", "--url", SERVER.url, "sidekiq/other", "--state",
                                   "retries", "--job", member, "--yes", "--json")
    assert_equal 0, code, out
    assert_equal 1, result["done"], out
    wait_for("the other queue's job to finish") { @raw.hexists(DONE_KEY, theirs) }
    assert_equal 0, @raw.zcard("retry")

    code, result, out = queuescope("remove", "--url", SERVER.url, "sidekiq/mails", "--state",
                                   "dead", "--job", doomed, "--yes", "--json")
    assert_equal 0, code, out
    assert_equal 1, result["done"], out
    assert_equal 0, @raw.zcard("dead")
    code, result, out = queuescope("remove", "--url", SERVER.url, "sidekiq/mails", "--state",
                                   "dead", "--job", doomed, "--yes", "--json")
    assert_equal 1, code, out # partial: nothing to delete any more, with the reason
    assert_equal "not in dead", result["skippedReasons"].first["reason"], out
  end

  def test_an_unknown_queue_is_an_error_and_an_emptied_one_is_not
    jid = QsFlakyJob.set(queue: "mailers").perform_async(1)
    Sidekiq::Queue.new("mailers").find_job(jid).delete # the list is gone, `queues` keeps it
    refute @raw.exists?("queue:mailers")
    code, page, out = queuescope("jobs", "--url", SERVER.url, "sidekiq/mailers", "enqueued", "--json")
    assert_equal 0, code, out
    assert_equal 0, page["total"], out

    [%w[jobs sidekiq/mailrs retries], %w[retry sidekiq/mailrs --state retries --all --yes],
     %w[remove sidekiq/mailrs --state dead --job 1], %w[drain sidekiq/mailrs --yes]].each do |verb, *rest|
      code, _, out = queuescope(verb, "--url", SERVER.url, *rest)
      assert_equal 1, code, out
      assert_includes out, "no queue 'sidekiq/mailrs' on redis://127.0.0.1:#{SERVER.port}/0; " \
                           "did you mean 'sidekiq/mailers'?"
    end
    code, _, out = queuescope("jobs", "--url", SERVER.url, "bullmq/mailers", "failed")
    assert_equal 1, code, out
    assert_includes out, "did you mean 'sidekiq/mailers'?"
  end
end
