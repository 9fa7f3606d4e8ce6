import pytest

from target87.engines import sdmx


def test_domains_are_coded_with_the_sdg_code_lists():
    domains = [{"sex": "_T", "age_group": "_T"}, {"sex": "Female", "age_group": "5-11"}, {"area": "Rural"}]
    assert sdmx.code_domains(domains) == [
        sdmx.Dimensions("_T", "Y5T17", "_T"),
        sdmx.Dimensions("F", "Y5T11", "_T"),
        sdmx.Dimensions("_T", "Y5T17", "R"),
    ]


def test_a_coding_given_by_the_user_codes_numbers():
    coding = sdmx.parse_code_map("1=M, 2=f", ("F", "M"))
    assert coding == {"1": "M", "2": "F"}
    assert [d.sex for d in sdmx.code_domains([{"sex": "1"}, {"sex": "2"}], sex_codes=coding)] == ["M", "F"]


def test_every_uncoded_category_is_named():
    with pytest.raises(sdmx.UncodedCategories) as caught:
        sdmx.code_domains([{"sex": "2"}, {"sex": "1", "area": "peri-urban"}, {"sex": "1"}])
    assert caught.value.unknown == {"sex": ["1", "2"], "area": ["peri-urban"]}


@pytest.mark.parametrize(("text", "bad_part"), [("1=X", "1=X"), ("1", "1"), ("=M", "=M"), ("1=M,,2", "2")])
def test_a_bad_coding_names_the_bad_part(text, bad_part):
    with pytest.raises(ValueError) as caught:
        sdmx.parse_code_map(text, ("F", "M"))
    assert str(caught.value) == bad_part


def test_sdmx_csv_keeps_full_precision():
    record = sdmx.Record("SL_TLF_CHLDEC", "THA", "2019", 12.345678901234, sex="F", age="Y5T11", lower=10.0)
    row = sdmx.write_sdmx_csv([record]).splitlines()[1].split(",")
    assert "12.345678901234" in row and "10.0" in row
