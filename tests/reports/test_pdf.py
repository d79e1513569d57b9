"""PDF reports: WeasyPrint output with Chinese text in WenQuanYi Zen Hei and the map embedded.

Text is read with poppler's ``pdftotext`` when installed, else with pypdf (dev extras).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from greenbri.usecases.reports import ReportInputs, project_report, to_pdf
from greenbri.usecases.screening import PortfolioScreening, ProjectScreening


def pdf_text(path: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
        ).stdout
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages)


def squeeze(text: str) -> str:
    """Text without whitespace: extractors break lines and space CJK characters differently."""
    return "".join(text.split())


@pytest.fixture(scope="module")
def merowe_pdf(
    merowe: ProjectScreening,
    portfolio: PortfolioScreening,
    inputs: ReportInputs,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    html = project_report(merowe, portfolio=portfolio, language="zh", **inputs.keywords())
    return to_pdf(html, tmp_path_factory.mktemp("pdf") / "SDN2021005-zh.pdf")


def test_chinese_pdf_has_chinese_text(merowe_pdf: Path) -> None:
    assert merowe_pdf.read_bytes().startswith(b"%PDF-")
    for extract in {
        pdf_text,
        lambda path: "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(path).pages),
    }:
        text = squeeze(extract(merowe_pdf))
        for expected in (
            "环境筛查报告",
            "总体分类",
            "无数据",
            "不完整",
            "供分析师确认的建议",
            "河流",
            "Nile",
            "1.72",
            "苏丹",
        ):
            assert expected in text, expected


def test_pdf_uses_the_cjk_font_and_embeds_the_map(merowe_pdf: Path) -> None:
    reader = pypdf.PdfReader(merowe_pdf)
    fonts = set()
    images = {}
    for page in reader.pages:
        resources = page["/Resources"]
        for font in resources.get("/Font", {}).values():
            fonts.add(str(font.get_object()["/BaseFont"]))
        images.update({image.data: image for image in page.images})  # pages share one resource dictionary
    assert any("WenQuanYi" in font for font in fonts), fonts
    assert len(images) == 1
    (image,) = images.values()
    assert image.image is not None and image.image.width > 800


def test_pdf_page_renders(merowe_pdf: Path, tmp_path: Path) -> None:
    """The first page as PNG (poppler's pdftoppm, where installed): a page with ink on it."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(merowe_pdf), str(tmp_path / "page")],
        check=True,
    )
    (png,) = tmp_path.glob("page*.png")
    with Image.open(png) as image:
        assert image.size[0] < image.size[1]  # A4 portrait
        grey = image.convert("L")
        assert grey.getextrema()[0] < 100  # text is drawn


def test_pdf_path_is_created(
    merowe: ProjectScreening, portfolio: PortfolioScreening, inputs: ReportInputs, tmp_path: Path
) -> None:
    portfolio_of_one = PortfolioScreening(
        screened=[merowe],
        datasets=portfolio.datasets,
        rules_digest=portfolio.rules_digest,
        screened_on=portfolio.screened_on,
        input_name=portfolio.input_name,
        input_sha256=portfolio.input_sha256,
    )
    from greenbri.usecases.reports import portfolio_report

    html = portfolio_report(
        portfolio_of_one, countries=inputs.countries, datasets=inputs.datasets, language="en"
    )
    target = to_pdf(html, tmp_path / "nested" / "portfolio.pdf")
    assert target.is_file() and target.read_bytes().startswith(b"%PDF-")
    assert "MEROWE" in pdf_text(target)
