# frozen_string_literal: true

# Shared by the Sidekiq fixtures (make_sidekiq_states.rb, sidekiq_workers.rb), and loaded with
# them by the `sidekiq` processes they start (-r): the stdin/stdout line protocol, waiting with a
# deadline, and a job that runs until the fixture releases it.

require "json"
require "sidekiq"

RELEASE_KEY = "qs-fixture:release"

# Sets the key `marker` once it runs, then holds its thread until RELEASE_KEY exists (or 300 s).
class QsHeldJob
  include Sidekiq::Worker
  sidekiq_options retry: false
  def perform(marker)
    Sidekiq.redis { |c| c.set(marker, "1") }
    deadline = Time.now + 300
    sleep 0.1 until Time.now > deadline || Sidekiq.redis { |c| c.exists?(RELEASE_KEY) }
  end
end

# `extend FixtureCommon` in a fixture's module.
module FixtureCommon
  module_function

  def say(obj)
    $stdout.puts(JSON.generate(obj))
    $stdout.flush
  end

  def wait_for(what, timeout = 60)
    deadline = Time.now + timeout
    until yield
      abort("#{File.basename($PROGRAM_NAME, '.rb')}: timed out waiting for #{what}") if Time.now > deadline
      sleep 0.05
    end
  end
end
