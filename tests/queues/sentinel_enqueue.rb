# Enqueues Sidekiq jobs through a Sentinel group with the redis gem's own Sentinel support
# (sentinels: in Sidekiq's redis options), as a Sidekiq app behind Sentinel does.
#
# usage: ruby sentinel_enqueue.rb <master name> <queue> <jobs> host:port [host:port ...]
# Prints {"enqueued": N} on stdout.
require "json"
require "sidekiq"

master, queue, jobs, *addresses = ARGV
sentinels = addresses.map do |address|
  host, port = address.split(":")
  { host: host, port: Integer(port) }
end
Sidekiq.configure_client do |config|
  config.redis = { url: "redis://#{master}", sentinels: sentinels, role: :master }
end
Integer(jobs).times do |i|
  Sidekiq::Client.push("class" => "HardJob", "args" => [i], "queue" => queue)
end
warn "sentinel_enqueue.rb: enqueued #{jobs} on #{queue} through #{addresses.join(', ')}"
puts JSON.generate({ enqueued: Integer(jobs) })
