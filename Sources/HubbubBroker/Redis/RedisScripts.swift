/// The Lua scripts behind the node, online and presence calls. Each runs atomically on
/// the server and reads time from the server (`TIME`), so nodes' clocks need not agree.
/// Scripts reach keys derived from the prefix (a dead node's sets), which a single Redis
/// allows and Redis Cluster does not: the broker wants one Redis (or a primary with
/// replicas), not a cluster. Needs Redis 5 or later (scripts that write after `TIME`).
enum RedisScripts {
    private static let now = """
        local function now_ms()
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end

        """

    /// Deletes a node: its online counts, its presence entries, its heartbeat.
    private static let purge = """
        local function purge(prefix, nodes, node)
          local users = prefix .. 'node:' .. node .. ':users'
          for _, user in ipairs(redis.call('SMEMBERS', users)) do
            redis.call('HDEL', prefix .. 'online:' .. user, node)
          end
          redis.call('DEL', users)
          local rooms = prefix .. 'node:' .. node .. ':rooms'
          local mark = node .. '\\0'
          for _, room in ipairs(redis.call('SMEMBERS', rooms)) do
            local key = prefix .. 'presence:' .. room
            for _, field in ipairs(redis.call('HKEYS', key)) do
              if string.sub(field, 1, #mark) == mark then redis.call('HDEL', key, field) end
            end
          end
          redis.call('DEL', rooms)
          redis.call('ZREM', nodes, node)
        end

        """

    /// KEYS: nodes. ARGV: node, ttl in ms.
    static let heartbeat = now + """
        redis.call('ZADD', KEYS[1], now_ms() + tonumber(ARGV[2]), ARGV[1])
        return 1
        """

    /// KEYS: nodes. Returns the live node ids.
    static let liveNodes = now + """
        return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now_ms(), '+inf')
        """

    /// KEYS: nodes. ARGV: prefix. Purges every expired node; returns their ids.
    static let reap = now + purge + """
        local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now_ms())
        for _, node in ipairs(dead) do purge(ARGV[1], KEYS[1], node) end
        return dead
        """

    /// KEYS: nodes. ARGV: prefix, node.
    static let removeNode = purge + """
        purge(ARGV[1], KEYS[1], ARGV[2])
        return 1
        """

    /// KEYS: online(user), nodeUsers(node). ARGV: node, user.
    static let userOnline = """
        redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
        redis.call('SADD', KEYS[2], ARGV[2])
        return 1
        """

    /// KEYS: online(user), nodeUsers(node). ARGV: node, user. Never below zero.
    static let userOffline = """
        local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
        if n <= 0 then
          redis.call('HDEL', KEYS[1], ARGV[1])
          redis.call('SREM', KEYS[2], ARGV[2])
        end
        return n
        """

    /// KEYS: online(user), nodes. 1 when a live node counts a connection of the user.
    static let isOnline = now + """
        local now = now_ms()
        local fields = redis.call('HGETALL', KEYS[1])
        for i = 1, #fields, 2 do
          if tonumber(fields[i + 1]) > 0 then
            local deadline = redis.call('ZSCORE', KEYS[2], fields[i])
            if deadline and tonumber(deadline) > now then return 1 end
          end
        end
        return 0
        """

    /// KEYS: presence(room), nodeRooms(node). ARGV: field, value, room.
    static let presencePut = """
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('SADD', KEYS[2], ARGV[3])
        return 1
        """

    /// KEYS: presence(room), nodeRooms(node). ARGV: field, node, room. Forgets the room
    /// for the node once the node has no entry left in it.
    static let presenceRemove = """
        redis.call('HDEL', KEYS[1], ARGV[1])
        local mark = ARGV[2] .. '\\0'
        for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
          if string.sub(field, 1, #mark) == mark then return 1 end
        end
        redis.call('SREM', KEYS[2], ARGV[3])
        return 0
        """

    /// KEYS: presence(room), nodes. Returns field, value, field, value, ... of live nodes.
    static let presenceAll = now + """
        local now = now_ms()
        local live = {}
        local result = {}
        local fields = redis.call('HGETALL', KEYS[1])
        for i = 1, #fields, 2 do
          local field = fields[i]
          local split = string.find(field, '\\0', 1, true) or (#field + 1)
          local node = string.sub(field, 1, split - 1)
          if live[node] == nil then
            local deadline = redis.call('ZSCORE', KEYS[2], node)
            live[node] = (deadline and tonumber(deadline) > now) or false
          end
          if live[node] then
            result[#result + 1] = field
            result[#result + 1] = fields[i + 1]
          end
        end
        return result
        """
}
