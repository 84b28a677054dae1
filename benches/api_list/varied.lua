-- wrk script for benches/api_list.sh: GET /v1/cases with a different query on (almost) every
-- request — filter, sort column and direction, and cursor chosen pseudo-randomly — so the
-- server's rendered-page cache rarely holds the page and each request runs the real query.
-- The filters and how many pages each has come from the file named by API_LIST_QUERIES
-- (written by api_list.sh from the server's totals): lines "<pages> <query string>", so every
-- request asks for a page that exists. The Authorization header comes from wrk's -H.

local sorts = {
  "next_due", "breaching", "number", "status", "priority", "site", "contact", "updated",
  "created", "platform", "owner", "subject", "tier",
}

local queries = {}
for line in io.lines(os.getenv("API_LIST_QUERIES")) do
  local pages, query = line:match("^(%d+) ?(.*)$")
  if pages and tonumber(pages) > 0 then
    queries[#queries + 1] = { pages = tonumber(pages), query = query }
  end
end

local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end

function init(args)
  math.randomseed(7919 * id)
end

function request()
  local q = queries[math.random(#queries)]
  local sort = sorts[math.random(#sorts)]
  if math.random(2) == 1 then sort = sort .. ":desc" end
  local page = math.random(q.pages) - 1
  local cursor = ""
  if page > 0 then cursor = "&cursor=o" .. (page * 100) end
  return wrk.format("GET", "/v1/cases?limit=100&sort=" .. sort .. q.query .. cursor)
end
