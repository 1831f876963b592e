"""Publication date: which of the dates a feed and a page state is the article's, in UTC.

Pure functions; `extract` applies `resolve_published` to the evidence it read.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import warnings
import zoneinfo
from typing import Iterable, Optional

import dateutil.parser
from jalali_core import JalaliToGregorian

# A publication date before this is a parsing accident, not a date.
EARLIEST_DATE = dt.datetime(1990, 1, 1, tzinfo=dt.timezone.utc)
# A date without a time of day is read as midnight UTC; local midnight can be up to 14 hours
# ahead of UTC (UTC+14), so such a date may lie that far after the fetch and still be today.
_DAY_ONLY_SLACK = dt.timedelta(hours=14)
# Page sources, most trusted first. JSON-LD datePublished and article:published_time are written
# by the CMS from the article's record; htmldate
# (trafilatura, original_date=True) reads the whole page and prefers the original date over the
# update; the first <time datetime> is as often the update time (so it ranks after htmldate); a URL
# date is day-precise at best.
PAGE_DATE_PRECEDENCE = ("json-ld", "meta", "text", "html time", "url")
# The local date and time the page shows beside its date, without an offset: not a publication date
# of its own, but it tells the page's offset for a moment stated in UTC (`shown_offset`).
SHOWN_TIME = "shown time"
# A <time>'s UTC moment with the offset of the local clock it shows: evidence of the page's offset only.
LOCAL_TIME = "local time"
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?:/|[-_]|\.html?|$)")


# Month names and their usual abbreviations in the languages we ingest (en, de, fr, es, it, pt, nl,
# da, no, sv, fi, and as dates are written after a day: pl, cs, ru, uk, tr, hu, ro). Abbreviations
# shared by two months (French "jui") are left out, and so is "listopada": November in Polish,
# October in Croatian.
_MONTH_NAMES = {
    1: "january jan januar jänner janvier janv enero ene gennaio gen janeiro januari tammikuu tammikuuta"
        " stycznia styczeń ledna leden января январь січня ocak január ianuarie janairu",
    2: "february feb febr februar février fév fev févr febrero febbraio fevereiro februari helmikuu helmikuuta"
        " lutego luty února únor февраля февраль лютого şubat subat február februarie februari faburairu fabrairu pebrero",
    3: "march mar märz mär mars marzo março maart marts maaliskuu maaliskuuta márc"
        " marca marzec března březen марта март березня mart március martie machi maret maris marso",
    4: "april apr avril avr abril abr aprile huhtikuu huhtikuuta ápr"
        " kwietnia kwiecień dubna duben апреля апрель квітня nisan április aprilie aprili afrilu abril",
    5: "may mai mayo maggio mag maio mei maj toukokuu toukokuuta máj"
        " maja května květen мая май травня mayıs mayis május mayu mayo",
    6: "june jun juni juin junio giugno giu junho kesäkuu kesäkuuta jún"
        " czerwca czerwiec června červen июня июнь червня haziran június iunie yuni hunyo",
    7: "july jul juli juillet juil julio luglio lug julho heinäkuu heinäkuuta júl"
        " lipca lipiec července červenec июля июль липня temmuz július iulie julai yuli hulyo",
    8: "august aug août aout agosto ago augustus augusti elokuu elokuuta"
        " sierpnia sierpień srpna srpen августа август серпня ağustos agustos augusztus agosti agustus agusta agosto",
    9: "september sep sept septembre septiembre setiembre settembre set setembro syyskuu syyskuuta szept"
        " września wrzesień září сентября сентябрь вересня eylül eylul szeptember septembrie septemba satumba setyembre",
    10: "october oct oktober octobre octubre ottobre ott outubro out okt lokakuu lokakuuta"
        " października październik října říjen октября октябрь жовтня ekim október octombrie oktoba oktubre",
    11: "november nov novembre noviembre novembro marraskuu marraskuuta"
        " listopadu ноября ноябрь листопада kasım kasim noiembrie novemba nuwamba nobyembre",
    12: "december dec dezember dez décembre déc diciembre dic dicembre dezembro desember joulukuu joulukuuta"
        " grudnia grudzień prosince prosinec декабря декабрь грудня aralık aralik decembrie desemba disamba disyembre",
}
# Arabic (Egyptian and Gulf, and the Levant's one-word names), Persian and Hebrew spellings of the
# Gregorian months; Greek in the genitive a date uses and the nominative, with and without accents.
_MONTH_NAMES_MORE = {
    1: "يناير ژانویه ינואר ιανουαρίου ιανουαριου ιανουάριος ιαν",
    2: "فبراير شباط فوریه פברואר φεβρουαρίου φεβρουαριου φεβρουάριος φεβ",
    3: "مارس آذار מרץ μαρτίου μαρτιου μάρτιος μαρ",
    4: "أبريل ابريل إبريل نيسان آوریل אפריל απριλίου απριλιου απρίλιος απρ",
    5: "مايو أيار מאי μαΐου μαιου μαϊου μαΐος μάιος",
    6: "يونيو يونيه حزيران ژوئن יוני ιουνίου ιουνιου ιούνιος ιουν",
    7: "يوليو يوليه تموز ژوئیه יולי ιουλίου ιουλιου ιούλιος ιουλ",
    8: "أغسطس اغسطس آب اوت אוגוסט αυγούστου αυγουστου αύγουστος αυγ",
    9: "سبتمبر أيلول سپتامبر ספטמבר σεπτεμβρίου σεπτεμβριου σεπτέμβριος σεπ",
    10: "أكتوبر اكتوبر اکتبر אוקטובר οκτωβρίου οκτωβριου οκτώβριος οκτ",
    11: "نوفمبر نوامبر נובמבר νοεμβρίου νοεμβριου νοέμβριος νοε",
    12: "ديسمبر دسامبر דצמבר δεκεμβρίου δεκεμβριου δεκέμβριος δεκ",
}
# Bengali spellings (Bangladesh, West Bengal).
for _number, _names in enumerate("জানুয়ারি ফেব্রুয়ারি মার্চ এপ্রিল মে জুন জুলাই আগস্ট সেপ্টেম্বর অক্টোবর নভেম্বর ডিসেম্বর".split(), 1):
    _MONTH_NAMES_MORE[_number] += " " + _names
MONTHS = {name: number for names_by_month in (_MONTH_NAMES, _MONTH_NAMES_MORE)
          for number, names in names_by_month.items() for name in names.split()}
# Hebrew writes "in" glued to the month ("5 במרץ 2024").
MONTHS.update({"ב" + name: number for name, number in list(MONTHS.items()) if "\u05d0" <= name[0] <= "\u05ea"})
# Year-first with a month name is Hungarian ("2024. március 5."); in other languages "2019. May 12"
# is a sentence ending in a year.
_HUNGARIAN_MONTHS = (r"január|jan|február|febr|március|márc|április|ápr|május|máj|június|jún|július|júl|"
                     r"augusztus|aug|szeptember|szept|október|okt|november|nov|december|dec")
# (letters, and the vowel signs of Indic scripts, which are no letters to `\w`)
# (month names are three letters or more, but for the Levantine August, "آب"; Levantine pages
# often write both names: "28 آب/اغسطس 2013")
_MONTH = r"(?P<month>(?:[^\W\d_]|[\u0900-\u0dff]){3,12}|آب)\.?(?:\s*/\s*[^\W\d_]{3,12})?"
_YEAR = r"(?P<year>(?:19|20)\d{2})(?!\d)"
_DAY = r"(?<!\d)(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|e|º|°)?\.?"
# Dates as pages print them: "February 9th, 2024", "AUG 25 2024", "3 Sept 2024", "9. März 2024",
# "9 de febrero de 2024", "2024-01-12", "12.16.2025", "3/4/2025".
# Iranian pages date by the Solar Hijri calendar ("۲۲ اسفند ۱۴۰۳").
_JALALI_MONTHS = ("فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند")
# Thai month names and abbreviations, January first (a year over 2400 is of the Buddhist era).
_THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม", "กันยายน",
                "ตุลาคม", "พฤศจิกายน", "ธันวาคม", "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.",
                "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
# The months of the Ethiopian calendar, Meskerem first (and the five or six days of Pagume).
_ETHIOPIAN_MONTHS = ("መስከረም", "ጥቅምት", "ኅዳር|ህዳር", "ታኅሣሥ|ታህሳስ", "ጥር", "የካቲት", "መጋቢት", "ሚያዝያ", "ግንቦት", "ሰኔ",
                     "ሐምሌ|ሀምሌ", "ነሐሴ|ነሀሴ", "ጳጉሜን|ጳጉሜ")
# Digits of other scripts read as ASCII, one character for one, so match positions stay.
ASCII_DIGITS = {zero + n: str(n) for zero in (0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66,
                                               0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x0E50, 0x0ED0, 0x1040, 0xFF10)
                 for n in range(10)}
_OTHER_DIGITS = re.compile("[%s]" % "".join(chr(code) for code in ASCII_DIGITS))


def ascii_digits(text: str) -> str:
    """`text` with other scripts' digits as ASCII (translating only when there are any: pages are long)."""
    return text.translate(ASCII_DIGITS) if _OTHER_DIGITS.search(text) else text
# (A pattern opening with a lookahead for its first character lets the engine skip to the digits:
# these run over whole pages.)
_TEXT_DATES = (
    re.compile(rf"(?<![^\W\d_]){_MONTH}\s+{_DAY},?\s+{_YEAR}"),
    re.compile(rf"(?=\d){_DAY}\s*(?:de\s+|ga\s+)?(?<![^\W\d_]){_MONTH},?\s+(?:de\s+)?{_YEAR}"),
    # Thai, in the Buddhist era ("15 ม.ค. 2567", "15 มกราคม พ.ศ. 2567")
    re.compile(rf"(?=\d){_DAY}\s*(?P<thmonth>{'|'.join(map(re.escape, _THAI_MONTHS))})\s*(?:พ\.ศ\.\s*)?"
               r"(?P<beyear>25\d{2})(?!\d)"),
    # Ethiopian ("ሐምሌ 7 ቀን 2016 ዓ.ም")
    re.compile(rf"(?<![\u1200-\u137f])(?P<emonth>{'|'.join(_ETHIOPIAN_MONTHS)})\s*(?P<day>[0-3]?\d)\s*(?:ቀን\s*)?(?P<eyear>20\d{{2}})(?!\d)"),
    re.compile(r"(?=[12])(?<![\d.])(?P<year>(?:19|20)\d{2})([-/.])(?P<month>[01]?\d)\2(?P<day>[0-3]?\d)(?![\d])"),
    re.compile(r"(?=\d)(?<![\d.])(?P<a>[0-3]?\d)(?P<sep>[-/.])(?P<b>[0-3]?\d)(?P=sep)(?P<year>(?:19|20)\d{2})(?!\d)"),
    # Czech and Slovak space after the dots: "5. 3. 2024"
    re.compile(r"(?=\d)(?<![\d.])(?P<a>[0-3]?\d)(?P<sep>\.)\s(?P<b>[01]?\d)\.\s(?P<year>(?:19|20)\d{2})(?!\d)"),
    # "2024年3月5日", "2024년 3월 5일", Hungarian "2024. március 5."
    re.compile(r"(?P<year>(?:19|20)\d{2})\s*[年년]\s*(?P<month>[01]?\d)\s*[月월]\s*(?P<day>[0-3]?\d)\s*[日일]"),
    re.compile(rf"{_YEAR}\.\s+(?P<month>{_HUNGARIAN_MONTHS})\.?\s+{_DAY}", re.I),
    re.compile(rf"(?=\d){_DAY}\s*(?<![^\W\d_])(?P<jmonth>{'|'.join(_JALALI_MONTHS).replace('ی', '[یي]').replace('ک', '[کك]')})"
               r"(?![^\W\d_])\s*(?:ماه\s*)?"
               r"(?P<jyear>1[34]\d{2})(?!\d)"),
    # A two-digit year only with the time beside it ("14.03.25 | 00:15", Israeli and Russian sites);
    # alone, "1.2.25" may be anything.
    re.compile(r"(?=\d)(?<![\d.])(?P<a>[0-3]?\d)(?P<sep>\.)(?P<b>[01]?\d)\.(?P<yy>\d{2})(?![\d.])"
               r"(?=\s*[|,·•–-]?\s*[0-2]?\d:[0-5]\d(?!\s*[-–]\s*\d))"),
)


def find_text_date(text: str, month_first: bool = False) -> Optional[tuple]:
    """The first calendar date written in `text`, as ("YYYY-MM-DD", start, end), else None.

    Month names in several languages are read; an all-number date is day-first unless a part is
    over 12 or `month_first` (a US-English page) says otherwise, and dotted dates are always
    day-first unless impossible ("12.16.2025" is December 16th).
    """
    text = ascii_digits(text)
    found = [first for pattern in _TEXT_DATES
             if (first := next(((match.start(), match.end(), value) for match in pattern.finditer(text)
                                if (value := _date_of(match, month_first))), None))]
    if not found:
        return None
    start, end, value = min(found)
    return value, start, end


def _valid_day(year: int, month: int, day: int) -> Optional[str]:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def ethiopian_to_gregorian(year: int, month: int, day: int) -> Optional[str]:
    """The Gregorian day of an Ethiopian calendar date (twelve months of 30 days and Pagume; the year
    begins on Meskerem 1, September 11th or 12th): "ሐምሌ 7 2016" is 2024-07-14."""
    if not (1 <= month <= 13 and 1 <= day <= (30 if month < 13 else 6 if year % 4 == 3 else 5)):
        return None
    # the day's number counted from the calendar's epoch (Julian day 1724221 is Meskerem 1 of year 1)
    julian_day = 1724221 + 365 * (year - 1) + year // 4 + 30 * (month - 1) + day - 1
    return (dt.date(1, 1, 1) + dt.timedelta(days=julian_day - 1721426)).isoformat()


def _date_of(match: re.Match, month_first: bool) -> Optional[str]:
    """The "YYYY-MM-DD" a match of one of _TEXT_DATES stands for, None if it is no calendar day."""
    parts = match.groupdict()
    if parts.get("thmonth"):
        month = _THAI_MONTHS.index(parts["thmonth"]) % 12 + 1
        return _valid_day(int(parts["beyear"]) - 543, month, int(parts["day"]))
    if parts.get("emonth"):
        month = next(i for i, names in enumerate(_ETHIOPIAN_MONTHS, 1) if parts["emonth"] in names.split("|"))
        return ethiopian_to_gregorian(int(parts["eyear"]), month, int(parts["day"]))
    if parts.get("jmonth"):
        month_name = parts["jmonth"].replace("ي", "ی").replace("ك", "ک")
        year, month, day = JalaliToGregorian(int(parts["jyear"]), _JALALI_MONTHS.index(month_name) + 1,
                                             int(parts["day"])).getGregorianList()
        return dt.date(year, month, day).isoformat() if 1 <= int(parts["day"]) <= 31 else None
    year = int(parts["year"]) if parts.get("year") else 2000 + int(parts["yy"])
    if parts.get("a") is not None:
        a, b = int(parts["a"]), int(parts["b"])
        if a > 12 or (b <= 12 and not (month_first and parts["sep"] != ".")):
            day, month = a, b
        else:
            day, month = b, a
    else:
        day = int(parts["day"])
        month = parts["month"]
        month = int(month) if month.isdigit() else MONTHS.get(month.lower())
    try:
        return dt.date(year, month or 0, day).isoformat()
    except (ValueError, TypeError):
        return None


# Zone abbreviations written after a time ("14:30 CET"); ambiguous ones (CST, IST) are left out.
_ZONES = {name: hours * 3600 for name, hours in {
    "UTC": 0, "GMT": 0, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2, "MEZ": 1, "MESZ": 2, "EET": 2,
    "EEST": 3, "MSK": 3, "EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7,
    "JST": 9, "KST": 9, "AEST": 10, "AEDT": 11}.items()}
ZONE_NAMES = tuple(_ZONES)
# UTC offsets that time zones use (minutes): whole hours, and the half and three-quarter hours of
# India, Iran, Newfoundland, Nepal, Myanmar, central Australia and a few more.
OFFSETS_IN_USE = frozenset([h * 60 for h in range(-12, 15)] + [-570, -210, -150, 210, 270, 330, 345, 390, 525,
                                                                   570, 630, 765, 825])


@dataclasses.dataclass(frozen=True)
class StatedDate:
    """A parsed date: the instant in UTC, its source, and the UTC offset it was written with
    (None when it had no time of day or no offset)."""

    utc: dt.datetime
    source: str
    offset_minutes: Optional[int] = None
    has_time: bool = True


def parse_stated_date(value: str | None, source: str) -> Optional[StatedDate]:
    """A date string as a StatedDate; values without an offset are taken as UTC; None if unreadable."""
    if not value or not value.strip():
        return None
    text = value.strip()
    has_time = bool(re.search(r"\d{1,2}:\d{2}|\dT\d{4}", text))     # (ISO basic: "20180619T055000+0900")
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            with warnings.catch_warnings():     # an unknown zone name is read as no zone: UTC
                warnings.simplefilter("ignore", dateutil.parser.UnknownTimezoneWarning)
                parsed = dateutil.parser.parse(text, default=dt.datetime(2000, 1, 1), tzinfos=_ZONES)
        except (ValueError, OverflowError, TypeError):
            return None
        if not re.search(r"\d{4}", text):    # a year must be stated
            return None
    offset = parsed.utcoffset()
    if parsed.tzinfo is None or offset is None:
        parsed = parsed.replace(tzinfo=dt.timezone.utc)
        offset_minutes = None
    else:
        offset_minutes = int(offset.total_seconds() // 60)
    if not has_time:
        offset_minutes = None
    return StatedDate(parsed.astimezone(dt.timezone.utc), source, offset_minutes, has_time)


def days_written(text: str) -> set[str]:
    """Every day `text` writes in a form `find_text_date` reads, day-first and month-first (one pass
    per pattern: this runs on whole pages)."""
    text = ascii_digits(text)
    return {value for pattern in _TEXT_DATES for match in pattern.finditer(text)
            for value in (_date_of(match, False), _date_of(match, True)) if value}


def year_only_guess(value: str | None, page_html: str) -> bool:
    """Whether htmldate's pick is a year standing for a day: January 1st, no time of day, and the
    page writes no January 1st of that year (htmldate turns a lone "© 2026" into 2026-01-01)."""
    match = re.fullmatch(r"((?:19|20)\d{2})-01-01", (value or "").strip())
    return bool(match) and match.group(0) not in days_written(page_html)


def url_date(url: str | None) -> Optional[str]:
    """The YYYY-MM-DD a URL path carries (/2024/03/15/...), else None."""
    match = _URL_DATE.search(url or "")
    return "-".join(match.groups()) if match else None


def plausible(date: StatedDate, fetched_at: dt.datetime) -> bool:
    """Not before 1990 and not after the fetch (a day-only date may be up to UTC+14 ahead)."""
    latest = fetched_at + (dt.timedelta(0) if date.has_time else _DAY_ONLY_SLACK)
    return EARLIEST_DATE <= date.utc <= latest


def shown_offset(stated: StatedDate, page_dates: Iterable[StatedDate]) -> Optional[int]:
    """The page's own UTC offset for a moment stated in UTC or without an offset: the offset of a
    <time> that states the same moment with one, else the difference to the local time the page
    shows beside its date ("2024-03-06T04:30:00Z" shown as "March 5, 2024 8:30 PM": -480)."""
    for other in page_dates:
        if other.offset_minutes and other.has_time and abs(other.utc - stated.utc) <= dt.timedelta(minutes=1):
            return other.offset_minutes
    if any(other.source == SHOWN_TIME and other.offset_minutes is not None for other in page_dates):
        return None     # the page shows the time with its zone, and another moment than the one stated
    for other in page_dates:
        # the time shown beside the date, or a <time datetime> written without an offset (local)
        if not (other.source == SHOWN_TIME or (other.source == "html time" and other.has_time
                                                and other.offset_minutes is None)):
            continue
        offset = offset_between(other.utc, stated.utc)
        # (equal clocks tell nothing about a moment written without an offset)
        if offset is not None and (offset or stated.offset_minutes == 0):
            return offset
    return None


def offset_between(shown: dt.datetime, moment: dt.datetime) -> Optional[int]:
    """The UTC offset (minutes) at which a local clock (`shown`, written as if UTC) shows `moment`,
    when it is one time zones use, to the minute; else None."""
    minutes = (shown - moment.replace(second=0, microsecond=0)).total_seconds() / 60
    quarter = round(minutes / 15) * 15
    return int(quarter) if abs(minutes - quarter) <= 1 and quarter in OFFSETS_IN_USE else None


# The time zone of a country, by its internet domain or the region of a page's
# language ("en-IN"); a language spoken in one zone only by itself ("he", "ja"). Vanity domains
# used everywhere (.co, .io, .me, .tv) are not countries here.
_COUNTRY_ZONES = {
    "ng": "Africa/Lagos", "gh": "Africa/Accra", "ke": "Africa/Nairobi", "za": "Africa/Johannesburg",
    "eg": "Africa/Cairo", "ma": "Africa/Casablanca", "tz": "Africa/Dar_es_Salaam", "ug": "Africa/Kampala",
    "et": "Africa/Addis_Ababa", "sa": "Asia/Riyadh", "ae": "Asia/Dubai", "qa": "Asia/Qatar", "kw": "Asia/Kuwait",
    "bh": "Asia/Bahrain", "om": "Asia/Muscat", "jo": "Asia/Amman", "lb": "Asia/Beirut", "il": "Asia/Jerusalem",
    "ir": "Asia/Tehran", "iq": "Asia/Baghdad", "tr": "Europe/Istanbul", "in": "Asia/Kolkata", "pk": "Asia/Karachi",
    "bd": "Asia/Dhaka", "lk": "Asia/Colombo", "np": "Asia/Kathmandu", "th": "Asia/Bangkok", "vn": "Asia/Ho_Chi_Minh",
    "my": "Asia/Kuala_Lumpur", "sg": "Asia/Singapore", "ph": "Asia/Manila", "cn": "Asia/Shanghai",
    "hk": "Asia/Hong_Kong", "tw": "Asia/Taipei", "jp": "Asia/Tokyo", "kr": "Asia/Seoul", "nz": "Pacific/Auckland",
    "uk": "Europe/London", "gb": "Europe/London", "ie": "Europe/Dublin", "fr": "Europe/Paris", "de": "Europe/Berlin",
    "at": "Europe/Vienna", "ch": "Europe/Zurich", "it": "Europe/Rome", "nl": "Europe/Amsterdam",
    "be": "Europe/Brussels", "dk": "Europe/Copenhagen", "se": "Europe/Stockholm", "no": "Europe/Oslo",
    "fi": "Europe/Helsinki", "pl": "Europe/Warsaw", "cz": "Europe/Prague", "sk": "Europe/Bratislava",
    "hu": "Europe/Budapest", "ro": "Europe/Bucharest", "bg": "Europe/Sofia", "gr": "Europe/Athens",
    "hr": "Europe/Zagreb", "rs": "Europe/Belgrade", "si": "Europe/Ljubljana", "ua": "Europe/Kyiv",
    "lt": "Europe/Vilnius", "lv": "Europe/Riga", "ee": "Europe/Tallinn",
    "ar": "America/Argentina/Buenos_Aires", "cl": "America/Santiago", "pe": "America/Lima",
    # countries of several zones by their most populous one: the shown day must still agree
    "au": "Australia/Sydney", "br": "America/Sao_Paulo", "mx": "America/Mexico_City", "ru": "Europe/Moscow",
    "id": "Asia/Jakarta",
    "ve": "America/Caracas", "uy": "America/Montevideo",
}
_LANGUAGE_ZONES = {"he": "il", "ja": "jp", "ko": "kr", "th": "th", "vi": "vn", "el": "gr", "hu": "hu", "ro": "ro",
                   "pl": "pl", "cs": "cz", "sk": "sk", "da": "dk", "sv": "se", "nb": "no", "nn": "no", "fi": "fi",
                   "uk": "ua", "tr": "tr", "ms": "my", "zh": "cn", "de": "de", "it": "it", "nl": "nl",
                   # spoken in countries of one zone ("sw": Kenya, Tanzania and Uganda keep EAT)
                   "am": "et", "sw": "ke", "ha": "ng", "ta": "in", "lt": "lt", "lv": "lv", "et": "ee", "hr": "hr",
                   "sr": "rs", "sl": "si", "bg": "bg"}


def country_zone(host: str | None, language: str | None) -> Optional[str]:
    """The time zone the page's country keeps, from its domain or language, else None."""
    region = (language or "").replace("_", "-").lower().split("-")
    for country in ((host or "").rsplit(".", 1)[-1].lower(), region[1] if len(region) > 1 else "",
                    _LANGUAGE_ZONES.get(region[0], "")):
        if country in _COUNTRY_ZONES:
            return _COUNTRY_ZONES[country]
    return None


def _shown_day(page_dates: list) -> Optional[dt.date]:
    # the first "text" date is the one the page shows; htmldate's guess comes after it
    return next((d.utc.date() for d in page_dates if d.source == "text"), None)


def _shown_on_another_day(stated: StatedDate, page_dates: list) -> Optional[int]:
    """The offset of the time the page shows beside its date when a moment stated with another
    offset falls on another day there: a Mexico City edition's "09 ene 2024 - 23:40" over JSON-LD in
    Madrid time ("2024-01-10T06:40+01:00") is -06:00. Same minute, an offset time zones use."""
    stated_day = (stated.utc + dt.timedelta(minutes=stated.offset_minutes)).date()
    for other in page_dates:
        if other.source != SHOWN_TIME or other.offset_minutes is not None or other.utc.date() == stated_day:
            continue
        offset = offset_between(other.utc, stated.utc)
        if offset is not None and offset != stated.offset_minutes:
            return offset
    return None


def _offset_for_shown_day(stated: StatedDate, page_dates: list, zone: str | None) -> Optional[int]:
    """The offset of the page's country when the page shows only a day, and that day is the
    stated UTC moment's day there but not in UTC ("7th November 2024" over "2024-11-06T23:10Z" on a
    Nigerian site: +60)."""
    shown = _shown_day(page_dates)
    if not zone or not shown:
        return None
    local = stated.utc.astimezone(zoneinfo.ZoneInfo(zone))
    if local.date() == shown != stated.utc.date():
        return int(local.utcoffset().total_seconds() // 60)
    return None


def _offset_of_display_zone(stated: StatedDate, page_dates: list, display_zone: str | None) -> Optional[int]:
    """The offset of the zone the page writes another time in ("Updated 10:14 PM EST"), when it
    shows no time beside its date and the zone gives the day it shows (else it is another clock's)."""
    if display_zone not in _ZONES or any(d.source == SHOWN_TIME for d in page_dates):
        return None
    offset = _ZONES[display_zone] // 60
    shown = _shown_day(page_dates)
    return offset if shown is None or (stated.utc + dt.timedelta(minutes=offset)).date() == shown else None


def _moment_of_that_day(day: StatedDate, ranked: list) -> Optional[StatedDate]:
    """A moment with its offset, among the page's later-ranked dates, on the bare day in its own
    zone (a "2024-03-05" text date beside "<time datetime='2024-03-05T16:32:00Z'>"): the day's time.
    (A moment on that day only in UTC may be the next local day's update: "2024-03-12" beside an
    "Updated 9.30am" of the 13th in Sydney.)"""
    for moment in ranked:
        if moment.has_time and moment.offset_minutes is not None:
            if (moment.utc + dt.timedelta(minutes=moment.offset_minutes)).date() == day.utc.date():
                return moment
    return None


def resolve_published(feed_time: dt.datetime | None, page_dates: Iterable[StatedDate],
                      fetched_at: dt.datetime, zone: str | None = None,
                      display_zone: str | None = None) -> Optional[StatedDate]:
    """The publication date.

    Rule: dates before 1990 or after the fetch are discarded. The page's date is the first plausible
    one in PAGE_DATE_PRECEDENCE order (json-ld, meta, text = htmldate, html time, url); without a
    feed date, a bare day gives way to a lower-ranked moment with its offset on that day in its own
    zone. Then:
    - only one of feed and page has a date: that one;
    - both, at most a day apart: the page's when it has a time of day (it keeps the original
      offset), else the feed's (to the second);
    - both, further apart: the page's, because feeds re-stamp old items when they are edited.
    A page moment stated in UTC or without an offset takes the page's own offset from the time it
    shows beside its date (`shown_offset`); one stated in UTC, when the page shows no time beside
    its date, from the zone it writes another time in (`display_zone`: "Updated 10:14 PM EST"),
    else from its country's `zone` when the day it shows is that moment's day there and not in UTC.
    """
    feed = None
    if feed_time is not None:
        feed = StatedDate(feed_time.astimezone(dt.timezone.utc), "feed", None, True)
        feed = feed if plausible(feed, fetched_at) else None
    page_dates = [d for d in page_dates if d]
    ranked = sorted((d for d in page_dates if d.source in PAGE_DATE_PRECEDENCE and plausible(d, fetched_at)),
                    key=lambda d: PAGE_DATE_PRECEDENCE.index(d.source))
    page = ranked[0] if ranked else None
    if page and not page.has_time and feed is None:     # (a feed's own time of that day is better still)
        page = _moment_of_that_day(page, ranked) or page
    if page and page.has_time and not page.offset_minutes:
        offset = shown_offset(page, page_dates)
        if offset is None and page.offset_minutes == 0:     # stated in UTC
            offset = _offset_of_display_zone(page, page_dates, display_zone)
            offset = offset if offset is not None else _offset_for_shown_day(page, page_dates, zone)
        page = dataclasses.replace(page, offset_minutes=offset) if offset is not None else page
    elif page and page.has_time and not zone:    # (with the country's zone known, another time is another moment)
        offset = _shown_on_another_day(page, page_dates)
        page = dataclasses.replace(page, offset_minutes=offset) if offset is not None else page
    if feed and page:
        if abs(feed.utc - page.utc) <= dt.timedelta(days=1):
            return page if page.has_time else feed
        return page
    return feed or page
