"""Documented visual check: LibreOffice (headless) renders the Czech workbook's Summary page to PNG.

Needs `soffice` with its PNG export filter (Debian: `apt-get install -y libreoffice-calc libreoffice-draw`);
CI does not install it, so the test is skipped there. The PNG is kept in pytest's temp directory (path
printed) so a person can look at it; the test checks that it renders the traffic lights.
"""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest
from PIL import Image

from ergopipe.report import outputs, palette

pytestmark = pytest.mark.slow
SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; CI does not install it")
def test_summary_page_renders_with_traffic_lights(case, tmp_path):
    files = outputs.write_report(
        tmp_path,
        "worker",
        case.table,
        case.scores,
        case.summary,
        case.provenance,
        case.warnings,
        language="cs",
        info=case.info,
        pose=case.pose,
    )
    profile = (tmp_path / "lo_profile").as_uri()  # own profile: no clash with a running LibreOffice
    proc = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "png",
            "--outdir",
            str(tmp_path),
            str(files["xlsx"]),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    png = tmp_path / "worker_ergonomics.png"
    if not png.exists() and "no export filter" in (proc.stdout + proc.stderr):
        pytest.skip("LibreOffice has no PNG export filter here; install libreoffice-draw")
    assert png.exists(), proc.stdout + proc.stderr
    print(f"Summary page rendered to {png}")
    rgb = np.asarray(Image.open(png).convert("RGB"), dtype=int)
    assert rgb.shape[1] >= 800 and rgb.std() > 10
    level = case.summary["reba"]["max_action_level"]
    target = np.array([int(palette.LEVEL_FILL["reba"][level][i : i + 2], 16) for i in (0, 2, 4)])
    near = (np.abs(rgb - target).max(axis=2) <= 10).sum()
    assert near > 200, f"the REBA traffic light ({palette.LEVEL_FILL['reba'][level]}) is not on the page"
