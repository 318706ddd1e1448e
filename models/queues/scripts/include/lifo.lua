-- Whether a job's opts JSON (Bull and BullMQ alike) asks for lifo; decoded only when it names it.
local function isLifo(rawOpts)
  if not rawOpts or not string.find(rawOpts, '"lifo"', 1, true) then return false end
  local ok, opts = pcall(cjson.decode, rawOpts)
  return ok and type(opts) == "table" and opts.lifo == true
end
