// An integrator's calendar and Zoom code written with Meeting BaaS's own SDK (`@meeting-baas/sdk` 6.0.5,
// unchanged): list a Google account's raw calendars, connect one, list and read it, resync, list its
// events, schedule a bot on an event (all occurrences), read, change and remove it, reconnect the
// calendar, delete it; connect, list, read and delete a Zoom OAuth connection. Every answer is checked
// with the zod schema the SDK exports for it. Prints what it saw as JSON.
// Usage: node meetingbaas_sdk_calendars.mjs <sdk prefix> <base url> <api key> <json of the OAuth inputs>
import { createRequire } from "node:module";
import { join } from "node:path";

const [prefix, baseUrl, apiKey, inputsJson] = process.argv.slice(2);
const sdk = createRequire(join(prefix, "package.json"))("@meeting-baas/sdk");
const inputs = JSON.parse(inputsJson);
const client = sdk.createBaasClient({ api_key: apiKey, base_url: baseUrl });
const seen = { schemaErrors: {}, failures: {} };

function answer(name, result, schema) {
  if (!result.success) {
    seen.failures[name] = result.error?.response?.data ?? String(result.error);
    return null;
  }
  if (schema) {
    const checked = schema.safeParse(result.data);
    if (!checked.success) seen.schemaErrors[name] = checked.error.issues;
  }
  seen[name] = result.data ?? null;
  return result.data;
}

const oauth = { ...inputs.google, platform: "Google" };
answer("raw", await client.listRawCalendars(oauth), sdk.listRawCalendarsResponse);
const created = answer(
  "created",
  await client.createCalendar({ ...oauth, raw_calendar_id: seen.raw?.calendars?.[0]?.id }),
  sdk.createCalendarResponse,
);
const uuid = created?.calendar?.uuid;
answer("listed", await client.listCalendars(), sdk.listCalendarsResponse);
answer("got", await client.getCalendar({ uuid }), sdk.getCalendarResponse);
answer("resynced", await client.resyncAllCalendars(), sdk.resyncAllCalendarsResponse);
const events = answer("events", await client.listCalendarEvents({ calendar_id: uuid }), sdk.listEventsResponse);
const first = events?.data?.[0]?.uuid;
answer(
  "scheduled",
  await client.scheduleCalendarRecordEvent({
    uuid: first,
    body: { bot_name: "Calendar notes", extra: { deal: "42" }, enter_message: "Hello", recording_mode: "audio_only" },
    query: { all_occurrences: true },
  }),
  sdk.scheduleRecordEventResponse,
);
answer("calendarBots", await client.listBots({ bot_name: "Calendar notes" }), sdk.botsWithMetadataResponse);
answer("event", await client.getCalendarEvent({ uuid: first }), sdk.getEventResponse);
answer("patched", await client.patchBot({ uuid: first, body: { bot_name: "Renamed notes" }, query: {} }));
answer(
  "unscheduled",
  await client.unscheduleCalendarRecordEvent({ uuid: first, query: { all_occurrences: false } }),
  sdk.unscheduleRecordEventResponse,
);
answer("updated", await client.updateCalendar({ uuid, body: oauth }), sdk.updateCalendarResponse);

const zoom = answer("zoomCreated", await client.createZoomOauthConnection(inputs.zoom));
answer("zoomListed", await client.listZoomOauthConnections());
answer("zoomGot", await client.getZoomOauthConnection({ uuid: zoom?.uuid }));
answer("zoomDeleted", await client.deleteZoomOauthConnection({ uuid: zoom?.uuid }));
answer("zoomAfter", await client.listZoomOauthConnections());

answer("webhookDocs", await client.getWebhookDocumentation(), sdk.webhookDocumentationResponse);
answer("botWebhookDocs", await client.getBotWebhookDocumentation(), sdk.botWebhookDocumentationResponse);
answer("calendarWebhookDocs", await client.getCalendarWebhookDocumentation(), sdk.calendarWebhookDocumentationResponse);
answer("deleted", await client.deleteCalendar({ uuid }));
answer("listedAfter", await client.listCalendars(), sdk.listCalendarsResponse);
process.stdout.write(JSON.stringify(seen));
