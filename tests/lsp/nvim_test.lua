-- Drives Neovim's built-in LSP client against `gtc lsp`: open a go.mod,
-- wait for diagnostics, hover the go line, apply the code action that sets
-- the toolchain line, save. Writes what it saw as JSON to $GTC_EDITOR_OUT and
-- exits 0, or exits 1 with the error in that file.
-- Run: nvim --headless --clean -u NONE -c "luafile nvim_test.lua" go.mod
local out = os.getenv("GTC_EDITOR_OUT")
local wait_ms = tonumber(os.getenv("GTC_EDITOR_WAIT_MS") or "120000")
local want_action = os.getenv("GTC_EDITOR_ACTION")

local function finish(result, code)
  vim.fn.writefile({ vim.fn.json_encode(result) }, out)
  vim.cmd((code == 0) and "qall!" or "cquit! 1")
end

local ok, err = pcall(function()
  local bufnr = vim.api.nvim_get_current_buf()
  local path = vim.api.nvim_buf_get_name(bufnr)
  local cmd = vim.fn.json_decode(os.getenv("GTC_LSP_CMD"))
  local client_id = vim.lsp.start_client({
    name = "gtc",
    cmd = cmd,
    root_dir = vim.fn.fnamemodify(path, ":h"),
    on_exit = function(code) if code ~= 0 then print("gtc lsp exited " .. code) end end,
  })
  assert(client_id, "could not start gtc lsp")
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)

  -- 1. Diagnostics arrive by themselves.
  assert(vim.wait(wait_ms, function() return #vim.diagnostic.get(bufnr) > 0 end, 20),
    "no diagnostics")
  local diags = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(diags, { line = d.lnum, message = d.message })
  end

  -- 2. Hover on the go line.
  local go_line
  for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if l:match("^go ") then go_line = i - 1 end
  end
  local pos = { line = go_line, character = 1 }
  local tdi = { uri = vim.uri_from_bufnr(bufnr) }
  local r = client.request_sync("textDocument/hover", { textDocument = tdi, position = pos },
    wait_ms, bufnr)
  assert(r and r.result, "no hover: " .. vim.inspect(r))
  local hover = r.result.contents.value

  -- 3. The code action, applied as the editor applies it; then save.
  r = client.request_sync("textDocument/codeAction", {
    textDocument = tdi,
    range = { start = pos, ["end"] = pos },
    context = { diagnostics = {} },
  }, wait_ms, bufnr)
  assert(r and r.result, "no code actions: " .. vim.inspect(r))
  local titles, chosen = {}, nil
  for _, a in ipairs(r.result) do
    table.insert(titles, a.title)
    if a.title:find(want_action, 1, true) and a.edit then chosen = a end
  end
  assert(chosen, "no action " .. want_action .. " in " .. vim.inspect(titles))
  vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  vim.cmd("write")

  -- 4. After the save the answer changes; the diagnostics follow.
  local cleared = vim.wait(wait_ms, function() return #vim.diagnostic.get(bufnr) == 0 end, 20)

  client.stop()
  vim.wait(wait_ms, function() return client.is_stopped() end, 20)
  finish({ diagnostics = diags, hover = hover, actions = titles, chosen = chosen.title,
    cleared = cleared }, 0)
end)
if not ok then finish({ error = tostring(err) }, 1) end
