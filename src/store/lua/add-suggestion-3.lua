--[[
  Queues a member's suggestion unless they already have ARGV[3] pending, atomically.
  KEYS[1] suggestions hash (id -> JSON)   KEYS[2] the member's pending ids (set)   KEYS[3] id counter
  ARGV[1] JSON of the suggestion without its id (the script adds "id":"s<n>")   ARGV[2] id prefix
  ARGV[3] most pending suggestions a member may have
  Returns the new id, or "" when the member is at the limit.
]]
if redis.call('SCARD', KEYS[2]) >= tonumber(ARGV[3]) then return '' end
local id = ARGV[2] .. redis.call('INCR', KEYS[3])
redis.call('HSET', KEYS[1], id, '{"id":"' .. id .. '",' .. string.sub(ARGV[1], 2))
redis.call('SADD', KEYS[2], id)
return id
