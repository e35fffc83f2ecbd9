"""Background task: flush the buffered ad counters (schedule it every minute)."""

from django.tasks import task

from ads.services import ad_counts_flush


@task
def flush_ad_counts() -> dict:
    """Run ``ad_counts_flush`` in a worker; returns the moved totals."""
    result = ad_counts_flush()
    return {"rows": result.rows, "impressions": result.impressions, "clicks": result.clicks}
