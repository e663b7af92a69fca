-- wrk script: POST /api/v1/articles/{id}/reactions as a new reader on every request.
-- Each request carries a fresh random 128-bit reader id cookie (rid), so every acknowledged
-- request is one new durable vote row (no toggling back and forth). The article id comes from
-- the URL given to wrk (http://host:port/api/v1/articles/ID/reactions).
local hex = "0123456789abcdef"
local kinds = { "like", "angry", "sad", "want_more" }
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(os.time() * 1000 + (seed or 0) * 7919)
end

function request()
  local t = {}
  for i = 1, 32 do
    local r = math.random(16)
    t[i] = hex:sub(r, r)
  end
  local kind = kinds[math.random(4)]
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["Cookie"] = "rid=" .. table.concat(t),
  }, '{"kind":"' .. kind .. '","on":true}')
end
