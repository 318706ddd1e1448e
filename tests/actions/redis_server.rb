# frozen_string_literal: true

# A throwaway redis-server for the action tests: free loopback port, its own temp dir, no
# persistence, always stopped when the test process exits.
#
#   server = RedisServer.start
#   server.url   # redis://127.0.0.1:PORT/0
#   server.stop

require "fileutils"
require "redis"
require "socket"
require "tmpdir"

class RedisServer
  REDIS_SERVER = "/usr/bin/redis-server"
  RUNNING = []
  at_exit { RUNNING.dup.each(&:stop) }
  Signal.trap("TERM") do
    RUNNING.dup.each(&:stop)
    exit!(143)
  end

  attr_reader :port

  def self.start
    new.tap(&:start)
  end

  def self.free_port
    server = TCPServer.new("127.0.0.1", 0)
    server.addr[1]
  ensure
    server&.close
  end

  def url
    "redis://127.0.0.1:#{@port}/0"
  end

  def client
    Redis.new(url: url)
  end

  def start
    @dir = Dir.mktmpdir("qs-actions-redis-")
    5.times do
      @port = self.class.free_port
      @pid = Process.spawn(REDIS_SERVER, "--port", @port.to_s, "--bind", "127.0.0.1",
                           "--save", "", "--appendonly", "no", "--dir", @dir,
                           "--daemonize", "no", "--loglevel", "warning",
                           in: File::NULL, out: File::NULL, err: File::NULL, pgroup: true)
      RUNNING << self
      deadline = Time.now + 10
      while Time.now < deadline
        begin
          return self if Redis.new(url: url, timeout: 1).ping == "PONG"
        rescue StandardError
          sleep 0.02
        end
        break unless alive?
      end
      stop(keep_dir: true) # port race: another port
    end
    raise "could not start redis-server"
  end

  def alive?
    Process.waitpid(@pid, Process::WNOHANG).nil?
  rescue Errno::ECHILD
    false
  end

  def stop(keep_dir: false)
    if @pid
      begin
        Process.kill("TERM", @pid)
        Process.wait(@pid)
      rescue Errno::ESRCH, Errno::ECHILD
        nil
      end
      @pid = nil
    end
    RUNNING.delete(self)
    FileUtils.rm_rf(@dir) if !keep_dir && @dir
  end
end
