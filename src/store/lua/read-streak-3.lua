--[[
  A member's streak in a channel, settled up to the channel's last scored round (read only: the
  record is written settled the next time the member answers).
  KEYS[1] channel streaks hash   KEYS[2] channel months sorted set   KEYS[3] channel counters hash
  ARGV[1] member id
  Returns { JSON record or '', rounds scored in the channel }.
]]
--#include streaks
local rounds = tonumber(redis.call('HGET', KEYS[3], 'rounds') or 0)
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then return { '', rounds } end
local s = settle(cjson.decode(raw), loadMonths(KEYS[2]), rounds, tonumber(redis.call('HGET', KEYS[3], 'lazyFrom')))
return { cjson.encode(s), rounds }
