"""Files: the PDF renderer reaches only the app's static files; uploads are
served only through permission-checked views, never from a public folder."""

from __future__ import annotations

import pytest

from pingxiang_cf.pdf import PDF_BASE_URL, static_file_for


@pytest.mark.parametrize(
    "path",
    [
        "static//etc/passwd",
        "static/%2Fetc%2Fpasswd",
        "static/..%2F..%2Fpingxiang_cf%2Fsettings.py",
        "static/%5C..%5Csettings.py",
        "static/css%00/app.css",
        "media/evidence/x.pdf",
    ],
)
def test_the_pdf_fetcher_never_leaves_the_static_files(path):
    assert static_file_for(PDF_BASE_URL + path) is None


def test_the_pdf_fetcher_still_serves_static_files():
    assert static_file_for(PDF_BASE_URL + "static/css/app.css").name == "app.css"


def test_scratch_files_are_private_and_removed_on_success_and_failure():
    import stat

    from pingxiang_cf.tempfiles import scratch_file

    with scratch_file(suffix=".xlsx") as path:
        path.write_bytes(b"data")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not path.exists()
    with pytest.raises(RuntimeError), scratch_file() as failed:
        failed.write_bytes(b"half")
        raise RuntimeError("import refused")
    assert not failed.exists()


def test_uploads_live_outside_the_static_folders_and_nginx_never_serves_them():
    from pathlib import Path

    from django.conf import settings

    media = Path(settings.MEDIA_ROOT).resolve()
    for folder in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
        assert not media.is_relative_to(Path(folder).resolve())
    nginx = (Path(__file__).resolve().parents[2] / "deploy/nginx/pingxiang-cf.conf").read_text()
    assert "location /media/ {\n        return 404;" in nginx
