"""The Overview says the digest's figures in the digest's own words, and how large a flag's sample is."""

from web_harness import WebHarness


async def test_the_overview_reads_like_the_digest(web_app: WebHarness) -> None:
    """A signed-in manager reads the same sentences as the digest: time frames said, no jargon,
    and the minimum sample a flag needs."""
    await web_app.http.post(await web_app.link(), allow_redirects=False)
    page = await web_app.http.get("/dashboard/")
    text = await page.text()
    assert page.status == 200
    assert "Flags on shares need at least 10 questions, 10 answers or 3 ended calls in the period." in text
    assert "now (compared with " in text
    assert "Nobody answered a question this period" in text
    assert "absence factor" not in text and "4 weeks ago" not in text
