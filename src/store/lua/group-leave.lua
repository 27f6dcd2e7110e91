--[[
  Removes a member from a study group. Variable key count: the caller passes numkeys.
  KEYS[1] server groups hash   KEYS[2] the group's members hash   KEYS[3] the member's groups set
  KEYS[4..] the group's current boards (all time, this week, this month): the member's points leave
  with them; when the last member leaves, the group and these boards are deleted.
  ARGV[1] group name   ARGV[2] member id
  Returns 'left' | 'deleted' | 'not-member'
]]
if redis.call('HDEL', KEYS[2], ARGV[2]) == 0 then return 'not-member' end
redis.call('SREM', KEYS[3], ARGV[1])
if redis.call('HLEN', KEYS[2]) == 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  for i = 4, #KEYS do redis.call('DEL', KEYS[i]) end
  return 'deleted'
end
for i = 4, #KEYS do redis.call('ZREM', KEYS[i], ARGV[2]) end
return 'left'
