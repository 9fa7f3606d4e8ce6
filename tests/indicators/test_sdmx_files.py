"""SDMX-CSV and Open SDG CSV: what we write, sdmx1 reads back; what others write, we read, naming its problems."""

import io

import pytest
import sdmx as sdmx1

from target87.engines import sdmx

RECORDS = [
    sdmx.Record("SL_TLF_CHLDEC", "THA", "2019", 12.345678901234, sex="F", age="Y5T11", lower=10.0, upper=14.5,
                unit="PT", nature="C", source="MICS6, 2019"),
    sdmx.Record("SL_TLF_CHLDEC", "THA", "2019", 15.5, lower=13.25, upper=17.75, unit="PT", nature="C",
                reporting_type="N", source="MICS6, 2019"),
    sdmx.Record("SL_TLF_CHLDEC", "753", "2020", None, value_text="<0.1", unit="PT"),
]  # fmt: skip

#: as the UN SDG database exports it (SDMX-CSV 1.0), trimmed to a few columns
UN_EXPORT = """DATAFLOW,FREQ,REPORTING_TYPE,SERIES,REF_AREA,SEX,AGE,URBANISATION,INCOME_WEALTH_QUANTILE,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,NATURE,SOURCE_DETAIL
IAEG-SDGs:DF_SDG_GLH(1.21),A,G,SL_TLF_CHLDEC,764,_T,Y5T17,_T,_T,2019,8.3,PT,C,MICS 2019
IAEG-SDGs:DF_SDG_GLH(1.21),A,G,SL_TLF_CHLDEC,116,F,Y5T17,_T,_T,2019,NA,PT,C,CSES
IAEG-SDGs:DF_SDG_GLH(1.21),A,G,SL_TLF_CHLDEC,999,_T,Y5T17,_T,_T,2019,1.0,PT,C,x
IAEG-SDGs:DF_SDG_GLH(1.21),A,G,SL_TLF_CHLDEC,764,_T,Y0T4,_T,Q1,2019,<0.1,PT,C,x
IAEG-SDGs:DF_SDG_GLH(1.21),A,G,SL_TLF_CHLDEC,764,_T,Y5T17,_T,_T,2019,8.4,PT,C,again
IAEG-SDGs:DF_SDG_GLH(1.21),A,G,SL_TLF_CHLDEC,,_T,Y5T17,_T,_T,2019,8.4,PT,C,no area
"""


def test_sdmx1_reads_what_we_write_with_m49_areas_and_the_sdg_dimensions():
    text = sdmx.write_sdmx_csv(RECORDS)
    assert text.splitlines()[0].startswith("STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REPORTING_TYPE,SERIES,REF_AREA,")
    message = sdmx1.read_sdmx(io.BytesIO(text.encode()), format="csv", structure=sdmx.data_structure())
    observations = [o for ds in message.data for o in ds.obs]
    assert len(observations) == 3
    first = observations[0]
    key = {k: v.value for k, v in first.key.values.items()}
    assert key["REF_AREA"] == "764" and key["SERIES"] == "SL_TLF_CHLDEC" and key["TIME_PERIOD"] == "2019"
    assert {"INCOME_WEALTH_QUANTILE", "DISABILITY_STATUS", "REPORTING_TYPE", "FREQ"} <= set(key)
    assert float(first.value) == 12.345678901234
    assert first.attached_attribute["LOWER_BOUND"].value == "10.0"
    frame = sdmx1.to_pandas(message.data[0])
    assert sorted(frame.index.get_level_values("REF_AREA")) == ["753", "764", "764"]
    # the people-facing code stays beside the M49 number
    assert "764,THA," in text.splitlines()[1]


def test_our_files_read_back_without_loss_in_both_formats():
    assert sdmx.read_sdmx_csv(sdmx.write_sdmx_csv(RECORDS)).records == RECORDS
    assert sorted(sdmx.read_opensdg_csv(sdmx.write_opensdg_csv(RECORDS)).records, key=lambda r: r.key) == sorted(
        RECORDS, key=lambda r: r.key
    )


def test_an_empty_area_or_year_is_refused_by_name():
    with pytest.raises(sdmx.MissingAreaOrPeriod) as caught:
        sdmx.write_sdmx_csv([sdmx.Record("SL_TLF_CHLDEC", "", "2019", 1.0)])
    assert caught.value.keys == ["SL_TLF_CHLDEC 2019 _T _T _T G"]


def test_an_un_export_is_read_with_its_problems_listed():
    reading = sdmx.read_sdmx_csv(UN_EXPORT)
    assert reading.format == "sdmx-csv-1.0"
    assert reading.unknown == {"AGE": ["Y0T4"], "INCOME_WEALTH_QUANTILE": ["Q1"], "REF_AREA": ["999"]}
    assert reading.duplicates == [("SL_TLF_CHLDEC THA 2019 _T Y5T17 _T G", [2, 6])]
    assert reading.missing == [7]
    assert [(r.ref_area, r.value_text) for r in reading.flagged] == [("KHM", "NA"), ("THA", "<0.1")]
    assert not reading.ok


def test_opensdg_blank_categories_are_totals_and_names_become_codes():
    text = "Year,Sex,Age,Value\n2015,,,14.5\n2015,Female,,12\n2023,,5-11,NA\n"
    reading = sdmx.read_opensdg_csv(text, series="SL_TLF_CHLDEC", ref_area="VNM")
    assert [(r.time_period, r.sex, r.age, r.value) for r in reading.records] == [
        ("2015", "_T", "_T", 14.5),
        ("2015", "F", "_T", 12.0),
        ("2023", "_T", "Y5T11", None),
    ]
    assert reading.ok and reading.records[2].value_text == "NA"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("a,b\n1,2\n", "columns SERIES, REF_AREA, TIME_PERIOD, OBS_VALUE are missing"),
        (b"\xff\xfe\x00S\x00", "not UTF-8"),
    ],
)
def test_a_file_that_is_not_sdmx_gets_a_message(text, words):
    with pytest.raises(sdmx.SDMXFileError) as caught:
        sdmx.read_sdmx_csv(text)
    assert words in caught.value.message


def test_an_opensdg_file_needs_year_first_and_value_last():
    with pytest.raises(sdmx.SDMXFileError, match="first column must be Year"):
        sdmx.read_opensdg_csv("Value,Year\n1,2\n", series="X", ref_area="THA")
