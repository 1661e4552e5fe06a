-- Ticking a step as a browser does: POST the checklist's tick form (session cookie, CSRF cookie and token,
-- the step's version), then GET the page the redirect names, carrying the flash-message cookie.
-- The steps come from a plan file (one "path version status" line each) made by bench/load.py just before the
-- run; each thread takes every n-th step, so no two connections tick the same step and every tick should be
-- kept. A 302 whose Location has no "#step-" is the conflict page: counted, never expected.
dofile(os.getenv("BENCH_LUA_DIR") .. "/report.lua")

function init(args)
  local thread_id, nthreads = tonumber(id), tonumber(os.getenv("BENCH_THREADS"))
  cookie = os.getenv("BENCH_COOKIE")
  token = os.getenv("BENCH_CSRF_TOKEN")
  next_url = os.getenv("BENCH_NEXT")
  host = os.getenv("BENCH_HOST")
  steps, pending, position = {}, {}, 1
  local index = 0
  for line in io.lines(os.getenv("BENCH_TICK_PLAN")) do
    if index % nthreads == thread_id then
      local path, version, status = line:match("(%S+) (%d+) (%S+)")
      table.insert(steps, {path = path, version = tonumber(version), done = status == "done"})
    end
    index = index + 1
  end
  kept, conflicts, pages, failed = 0, 0, 0, 0
end

local function headers(extra_cookie)
  local h = {["Host"] = host, ["X-Forwarded-Proto"] = "https", ["Cookie"] = cookie .. (extra_cookie or "")}
  return h
end

function request()
  if #pending > 0 then
    local follow = table.remove(pending, 1)
    return wrk.format("GET", follow.path, headers(follow.cookie))
  end
  local step = steps[position]
  position = position % #steps + 1
  local status = step.done and "todo" or "done"
  local body = "csrfmiddlewaretoken=" .. token .. "&version=" .. step.version .. "&status=" .. status ..
    "&next=" .. next_url
  -- Assume the tick is kept; a conflict is counted in response() and fails the run's check.
  step.version, step.done = step.version + 1, not step.done
  local h = headers()
  h["Content-Type"] = "application/x-www-form-urlencoded"
  h["Origin"] = "https://" .. host
  return wrk.format("POST", step.path, h, body)
end

function response(status, response_headers, body)
  if status == 302 then
    local location = response_headers["Location"] or ""
    if location:find("#step-", 1, true) then kept = kept + 1 else conflicts = conflicts + 1 end
    local messages = (response_headers["Set-Cookie"] or ""):match("^(messages=[^;]*)")
    table.insert(pending, {path = location:gsub("#.*$", ""), cookie = messages and ("; " .. messages) or nil})
  elseif status == 200 then
    pages = pages + 1
  else
    failed = failed + 1
  end
end
