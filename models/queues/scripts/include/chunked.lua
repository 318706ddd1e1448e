-- One command with many values (LPUSH/RPUSH/ZREM key id...), in chunks of 5,000: Lua's stack
-- does not take an unpack of many more (scripts/README.md). Nothing is sent for no values.
local function callInChunks(command, key, values)
  for i = 1, #values, 5000 do
    rcall(command, key, unpack(values, i, math.min(i + 4999, #values)))
  end
end
