#!/usr/bin/env python3
"""Builds Tests/MotCuaCoreTests/Resources/lunar-new-year-1900-2100.csv, the test table of the lunar
new year of every year 1900-2100, from sources independent of MotCua's code:

- china: the Chinese lunar new year (UTC+8) from two PyPI packages that must agree:
  lunardate 0.3 (table-driven, 1900-2099) and lunar-python 1.4 (6tail's calendar, 1900-2100).
- vietnam: the Vietnamese lunar new year. Where the month structure is the same, Vietnam's month
  starts on the local date of the same new moon at UTC+7: the new moon's instant is taken from
  lunar-python's high-precision ephemeris (ShouXingUtil.shuoHigh, Beijing time), moved back one
  hour. Where the month structure differs, the published Vietnamese date is used (1985: Tết Ất Sửu
  on 21 January 1985, while China's fell on 20 February; Hồ Ngọc Đức, "Âm lịch Việt Nam").
  The column vietnam_source says which applied.

The packages are used only here; the product never imports them.

    pip install lunardate lunar-python && python3 scripts/make-lunar-new-year-table.py
"""
import datetime
import math
import sys

import lunardate
from lunar_python import Lunar
from lunar_python.util import ShouXingUtil

PUBLISHED_VIETNAM = {1985: datetime.date(1985, 1, 21)}
J2000 = datetime.datetime(2000, 1, 1, 12)


def new_moon_beijing(date):
    """The instant (Beijing time, UTC+8) of the new moon nearest a date, from lunar-python."""
    jdn = date.toordinal() + 1721425
    w = math.floor((jdn - 2451551 + 0.5) / 29.5306 + 0.5) * ShouXingUtil.PI_2
    return J2000 + datetime.timedelta(days=ShouXingUtil.shuoHigh(w))


rows = ["year,china,vietnam,vietnam_source"]
for year in range(1900, 2101):
    s = Lunar.fromYmd(year, 1, 1).getSolar()
    china = datetime.date(s.getYear(), s.getMonth(), s.getDay())
    if year <= 2099:
        other = lunardate.LunarDate(year, 1, 1).to_solar_date()
        if other != china:
            sys.exit(f"{year}: lunardate {other} and lunar-python {china} disagree")
    if year in PUBLISHED_VIETNAM:
        vietnam, source = PUBLISHED_VIETNAM[year], "published"
    else:
        moment = new_moon_beijing(china)
        if abs((moment.date() - china).days) > 1:
            sys.exit(f"{year}: new moon {moment} is not at {china}")
        vietnam, source = (moment - datetime.timedelta(hours=1)).date(), "new moon at UTC+7"
    rows.append(f"{year},{china},{vietnam},{source}")

with open("Tests/MotCuaCoreTests/Resources/lunar-new-year-1900-2100.csv", "w") as f:
    f.write("\n".join(rows) + "\n")
print(f"{len(rows) - 1} years written")
