# frozen_string_literal: true

# Calls an action script the way QueueScope's engine does (models/queues/scripts/README.md): expands
# its `--! include:` lines (as ActionScript::builtIn does), reads the script's `--!` header,
# expands the key and argv templates for a queue, appends the item groups, runs EVALSHA (EVAL
# after NOSCRIPT) and parses {done, skipped, more, details[, cursor]}.
# Nothing here is per script: a header the engine could not drive fails here too.

require "digest"
require "redis"

class ActionScript
  MODELS = File.expand_path("../../models", __dir__)
  # Where ActionScript::builtIn's resources come from (models/CMakeLists.txt
  # qs_add_action_scripts): each framework's scripts/ and scripts/include/, and the shared
  # includes of queues/scripts/.
  SCRIPT_DIRS = Dir.glob(File.join(MODELS, "frameworks", "*", "scripts")).sort.freeze
  INCLUDE_DIRS = ([File.join(MODELS, "queues", "scripts", "include")] +
                  SCRIPT_DIRS.map { |dir| File.join(dir, "include") }).freeze
  SEP = "\x06\x16".b
  NAMED = %w[mode limit now cutoff reset state cursor delayed].freeze

  Outcome = Struct.new(:done, :skipped, :more, :reasons, :cursor, :elapsed_ms, :server_ms) do
    def reason_for(item)
      pair = reasons.find { |key, _| key == item.to_s.b }
      pair && pair[1]
    end

    def timing
      server = server_ms ? format("%.1f", server_ms) : "?"
      format("%.1f ms (%s ms in Redis)", elapsed_ms, server)
    end
  end

  attr_reader :name, :keys, :argv, :items, :returns_cursor, :source, :sha1

  # The text of include/<name>.lua, nil when there is no such include.
  def self.read_include(name)
    path = find_file(INCLUDE_DIRS, name)
    path && File.binread(path)
  end

  # The path of <name>.lua in the first of `dirs` that has it, nil when none has.
  def self.find_file(dirs, name)
    dirs.map { |dir| File.join(dir, "#{name}.lua") }.find { |path| File.exist?(path) }
  end

  # A `--! <field>: <value>` line's [field, value], nil for any other line.
  def self.header_line(raw)
    line = raw.strip
    return nil unless line.start_with?("--!")
    field, sep, value = line[3..].partition(":")
    return ["", ""] if sep.empty?
    [field.strip, value.strip]
  end

  # As ActionScript's expandIncludes (scripts/README.md): every `--! include: <name>` line is
  # replaced by the lines of include/<name>.lua, expanded the same way, each include inlined
  # once. The block returns an include's text or nil (default: read_include).
  def self.expand_includes(source, &load)
    load ||= method(:read_include)
    out, stack, included = [], [], {}
    where = -> { stack.empty? ? "the script" : "include/#{stack.last}.lua" }
    expand = lambda do |text|
      text.split("\n", -1).each do |line|
        header = header_line(line)
        if header.nil? || (header[0] != "include" && stack.empty?)
          out << line
          next
        end
        if header[0] != "include"
          raise "#{where.call}: header line '#{line.strip}' belongs in the top-level script"
        end
        name = header[1]
        unless name.match?(/\A[A-Za-z0-9_-]+\z/n)
          raise "#{where.call}: bad include name '#{name}' (letters, digits, '-', '_')"
        end
        raise "include cycle: #{(stack + [name]).join(" -> ")}" if stack.include?(name)
        next if included[name] # inlined once per script
        include = load.call(name)
        if include.nil?
          raise "missing include '#{name}' (include/#{name}.lua, named in #{where.call})"
        end
        include = include.delete_suffix("\n") # the directive's own line end stays
        included[name] = true
        stack.push(name)
        expand.call(include)
        stack.pop
      end
    end
    expand.call(source)
    out.join("\n")
  end

  def initialize(name)
    @name = name
    raw = File.binread(self.class.find_file(SCRIPT_DIRS, name) || "#{name}.lua")
    begin
      @source = self.class.expand_includes(raw)
    rescue RuntimeError => e
      raise "#{name}: #{e.message}"
    end
    @sha1 = Digest::SHA1.hexdigest(@source)
    @source.each_line do |raw|
      line = raw.strip
      next unless line.start_with?("--!")
      field, sep, value = line[3..].partition(":")
      raise "#{name}: header line without ':': #{line}" if sep.empty?
      words = value.split
      case field.strip
      when "keys" then @keys = words
      when "argv" then @argv = words
      when "items" then @items = words
      when "returns"
        raise "#{name}: unknown return kind #{value.strip}" unless %w[standard cursor].include?(value.strip)
        @returns_cursor = value.strip == "cursor"
      end
    end
    if [@keys, @argv, @items, @returns_cursor].any?(&:nil?)
      raise "#{name}: the header needs keys, argv, items and returns lines"
    end
  end

  # One template: a named value, or {p} {q} {ns} {sep} substituted (README).
  def self.expand(pattern, queue, prefix, params)
    return params.fetch(pattern).to_s.b if NAMED.include?(pattern)
    ns = prefix.empty? ? "".b : "#{prefix}:".b
    values = {"p" => prefix.b, "q" => queue.b, "ns" => ns, "sep" => SEP}
    pattern.b.gsub(/\{(p|q|ns|sep)\}/n) { values.fetch(Regexp.last_match(1)) }
  end

  def command(queue: "", prefix: "", items: [], **params)
    now = (Time.now.to_f * 1000).to_i
    values = {"mode" => "ids", "limit" => 1000, "now" => now, "cutoff" => nil, "reset" => 0,
              "state" => "", "cursor" => "0", "delayed" => 0}
    params.each { |k, v| values[k.to_s] = v }
    values["cutoff"] ||= values["now"]
    keys = @keys.map { |k| self.class.expand(k, queue.to_s, prefix.to_s, values) }
    args = @argv.map { |a| self.class.expand(a, queue.to_s, prefix.to_s, values) }
    items.each do |group|
      group = Array(group)
      raise "#{name}: item groups are #{@items}, got #{group.size} values" if group.size != @items.size
      args.concat(group.map { |v| v.to_s.b })
    end
    [keys, args]
  end

  def call(redis, queue: "", prefix: "", items: [], **params)
    keys, args = command(queue: queue, prefix: prefix, items: items, **params)
    before = self.class.script_usec(redis)
    started = Process.clock_gettime(Process::CLOCK_MONOTONIC)
    reply = begin
      redis.evalsha(@sha1, keys: keys, argv: args)
    rescue Redis::CommandError => e
      raise unless e.message.start_with?("NOSCRIPT")
      redis.eval(@source, keys: keys, argv: args)
    end
    elapsed = (Process.clock_gettime(Process::CLOCK_MONOTONIC) - started) * 1000
    expected = @returns_cursor ? 5 : 4
    raise "#{name}: reply outside the contract: #{reply.inspect}" unless reply.is_a?(Array) && reply.size >= expected
    details = reply[3]
    reasons = (0...(details.size / 2)).map { |i| [details[2 * i].b, details[2 * i + 1]] }
    cursor = @returns_cursor ? reply[4].to_s : "0"
    more = reply[2].to_i != 0 || (@returns_cursor && !["0", ""].include?(cursor))
    after = before && self.class.script_usec(redis)
    server = after && (after - before) / 1000.0
    Outcome.new(reply[0].to_i, reply[1].to_i, more, reasons, cursor, elapsed, server)
  end

  # Microseconds Redis has spent executing scripts (INFO commandstats): the difference around a
  # call is the time that call blocked Redis (plus any script another client ran meanwhile, e.g.
  # Sidekiq's scheduler poller: rare and small).
  def self.script_usec(redis)
    stats = redis.info("commandstats")
    %w[evalsha eval].sum { |name| (stats[name] || {})["usec"].to_i }
  rescue StandardError
    nil
  end
end
