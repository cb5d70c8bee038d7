// An integrator's script written with Meeting BaaS's own SDK (`@meeting-baas/sdk` 6.0.5, installed from
// npm by the test, unchanged): send a bot to a meeting, follow it by webhook, list it with filters, read
// its meeting data and transcript, take its screenshots and delete its data. Every answer is checked
// with the zod schema the SDK exports. Prints what it saw as JSON.
// Usage: node meetingbaas_sdk_flow.mjs <sdk prefix> <base url> <api key> <meeting url>
import http from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";

const [prefix, baseUrl, apiKey, meetingUrl] = process.argv.slice(2);
const sdk = createRequire(join(prefix, "package.json"))("@meeting-baas/sdk");

const webhooks = [];
const receiver = http.createServer((request, response) => {
  let body = "";
  request.on("data", (chunk) => (body += chunk));
  request.on("end", () => {
    webhooks.push({ path: request.url, headers: request.headers, body: JSON.parse(body) });
    response.writeHead(200, { "Content-Type": "application/json" }).end("{}");
  });
});
await new Promise((resolve) => receiver.listen(0, "127.0.0.1", resolve));
const hookUrl = `http://127.0.0.1:${receiver.address().port}/meetingbaas`;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const codes = () => webhooks.filter((w) => w.body.event === "bot.status_change").map((w) => w.body.data.status.code);
async function waitFor(check, seconds) {
  for (let i = 0; i < seconds * 2; i++) {
    if (check()) return true;
    await sleep(500);
  }
  return false;
}

const client = sdk.createBaasClient({ api_key: apiKey, base_url: baseUrl });
const seen = { schemaErrors: {} };
function answer(name, result, schema) {
  if (!result.success) {
    seen[name] = { error: result.error?.response?.data ?? String(result.error) };
    return null;
  }
  const checked = schema.safeParse(result.data);
  if (!checked.success) seen.schemaErrors[name] = checked.error.issues;
  seen[name] = result.data;
  return result.data;
}

const joined = answer(
  "joined",
  await client.joinMeeting({
    bot_name: "Notula Recorder",
    meeting_url: meetingUrl,
    webhook_url: hookUrl,
    speech_to_text: { provider: "Default" },
    extra: { deal: "42" },
    entry_message: "Recording for the notes",
    recording_mode: "audio_only",
    reserved: false,
  }),
  sdk.joinResponse,
);
const uuid = joined?.bot_id;
seen.recording = await waitFor(() => codes().includes("in_call_recording"), 120);
answer("listedByName", await client.listBots({ bot_name: "Notula Recorder" }), sdk.botsWithMetadataResponse);
// The three lines are said within about 16 s of the bot's admission.
await sleep(20000);
answer("left", await client.leaveMeeting({ uuid }), sdk.leaveResponse);
seen.completed = await waitFor(() => webhooks.some((w) => w.body.event === "complete"), 300);
answer(
  "meetingData",
  await client.getMeetingData({ bot_id: uuid, include_transcripts: true }),
  sdk.getMeetingDataResponse,
);
answer("listedByUrl", await client.listBots({ meeting_url: meetingUrl }), sdk.botsWithMetadataResponse);
answer("screenshots", await client.getScreenshots({ uuid }), sdk.getScreenshotsResponse);
answer("deleted", await client.deleteBotData({ uuid }), sdk.deleteDataResponse);
const missing = await client.getMeetingData({ bot_id: "00000000-0000-4000-8000-000000000000" });
seen.unknownBot = { success: missing.success, status: missing.error?.response?.status };
const wrongKey = sdk.createBaasClient({ api_key: "ntl_wrong", base_url: baseUrl });
const refused = await wrongKey.listBots({});
seen.wrongKey = { success: refused.success, status: refused.error?.response?.status };

seen.webhooks = webhooks;
receiver.close();
process.stdout.write(JSON.stringify(seen));
