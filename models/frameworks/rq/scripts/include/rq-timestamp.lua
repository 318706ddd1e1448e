-- RQ's utcformat ('%Y-%m-%dT%H:%M:%S.%fZ') of a UTC instant given in ms since the epoch
-- (days -> civil date: H. Hinnant's algorithm); the microseconds end in 000.
local function rqTimestamp(ms)
    local secs = math.floor(ms / 1000)
    local millis = ms - secs * 1000
    local days = math.floor(secs / 86400)
    local sod = secs - days * 86400
    local z = days + 719468
    local era = math.floor(z / 146097)
    local doe = z - era * 146097
    local yoe = math.floor((doe - math.floor(doe / 1460) + math.floor(doe / 36524)
        - math.floor(doe / 146096)) / 365)
    local doy = doe - (365 * yoe + math.floor(yoe / 4) - math.floor(yoe / 100))
    local mp = math.floor((5 * doy + 2) / 153)
    local day = doy - math.floor((153 * mp + 2) / 5) + 1
    local month = mp < 10 and mp + 3 or mp - 9
    local year = yoe + era * 400 + (month <= 2 and 1 or 0)
    return string.format('%04d-%02d-%02dT%02d:%02d:%02d.%03d000Z', year, month, day,
        math.floor(sod / 3600), math.floor(sod % 3600 / 60), sod % 60, millis)
end
