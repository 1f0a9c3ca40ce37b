"""The package ships the tariff data it needs, with provenance and licence notices kept."""

from importlib.resources import files

import pytest

DATA = files("zonekeeper") / "data" / "tariff"


@pytest.mark.parametrize(
    "name",
    [
        "hts/hts_2026_basic_edition_csv.csv.gz",
        "hts/hts_2026_revision_3_csv.csv.gz",
        "s301/s301_product_lists.csv",
        "s232/s232_derivative_products.csv",
        "spi_programs.csv",
        "PROVENANCE.md",
        "LICENSES/Budget-Lab-Yale_tariff-rate-tracker_MIT.txt",
        "LICENSES/TanmayJain17_Tariffind_MIT.txt",
    ],
)
def test_shipped_file_present(name: str) -> None:
    assert (DATA / name).is_file()


def test_licence_notices_are_mit_texts() -> None:
    for notice in (DATA / "LICENSES").iterdir():
        text = notice.read_text()
        assert "Permission is hereby granted" in text and "Copyright" in text
