def test_create_and_list_bot(api):
    response = api.post("/api/v1/bots", {"meeting_url": "https://meet.google.com/abc-defg-hij"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id"].startswith("bot_") and body["meeting_id"].startswith("mtg_")
    assert body["status"] == "queued" and body["platform"] == "google_meet"
    listed = api.get("/api/v1/bots").json()
    assert [b["id"] for b in listed["results"]] == [body["id"]]


def test_bad_url(api):
    response = api.post("/api/v1/bots", {"meeting_url": "https://example.com/x"}, format="json")
    assert response.status_code == 400
    assert "meeting_url" in response.json()["error"]["fields"]
