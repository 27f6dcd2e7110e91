--[[
  Creates a study group with its first member, or adds a member to an existing group.
  KEYS[1] server groups hash (name -> JSON)   KEYS[2] the group's members hash
  KEYS[3] the member's groups set             KEYS[4] server counters hash
  ARGV[1] group name   ARGV[2] '1' to create, '0' to join   ARGV[3] group JSON (used on create)
  ARGV[4] member id    ARGV[5] member name   ARGV[6] joinedAt (ms)
  ARGV[7] max groups per server   ARGV[8] max groups per member
  The member record remembers the server's scheduled-round count at joining: participation is
  answers since joining / rounds since joining.
  Returns 'created' | 'joined' | 'exists' | 'already-member' | 'no-group' | 'server-limit' | 'member-limit'
]]
local exists = redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1
if ARGV[2] == '1' then
  if exists then return 'exists' end
  if redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[7]) then return 'server-limit' end
else
  if not exists then return 'no-group' end
  if redis.call('HEXISTS', KEYS[2], ARGV[4]) == 1 then return 'already-member' end
end
if redis.call('SCARD', KEYS[3]) >= tonumber(ARGV[8]) then return 'member-limit' end
if ARGV[2] == '1' then redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
local rounds = tonumber(redis.call('HGET', KEYS[4], 'rounds') or '0')
redis.call('HSET', KEYS[2], ARGV[4], cjson.encode({ n = ARGV[5], t = tonumber(ARGV[6]), j = rounds, a = 0 }))
redis.call('SADD', KEYS[3], ARGV[1])
if ARGV[2] == '1' then return 'created' end
return 'joined'
