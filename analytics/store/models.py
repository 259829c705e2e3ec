"""One pydantic model per record type. Field aliases are the Chinese template headers.

The demo generator and the importer both build these models, so a value that reaches the
database has passed the same checks whichever way it came in.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import types
import unicodedata
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from analytics.common.labels import t
from analytics.common.text import control_characters
from analytics.store.vocabulary import folded, value_lookup

Category = Literal["理论学习", "党性教育", "实践锻炼"]
Form = Literal[
    "导师领学", "研学活动", "座谈交流", "列席旁听", "理论学习日", "培训班", "红色教育",
    "专题党课", "警示教育", "专题学习", "宣讲比赛", "基层实践", "专题讲座", "外出学习",
    "青年干部座谈会", "其他",
]  # fmt: skip
Scope = Literal["全体", "小组", "指定"]
Role = Literal["参加", "主讲", "列席"]
Status = Literal["出席", "请假", "缺席"]
ReportType = Literal["调研报告", "调研文章", "心得体会", "改革建议", "征文"]
ReportSource = Literal[
    "产业观察", "回乡见闻", "专题调研", "基层实践", "揭榜挂帅", "理论学习", "其他"
]
Grade = Literal["优秀", "良好", "合格"]
Outcome = Literal["领导批示", "采纳", "刊发", "成果转化"]
Level = Literal["市直机关", "市级", "省级", "国家级"]
Prize = Literal["一等奖", "二等奖", "三等奖", "优秀奖", "优异成绩"]
AssessmentType = Literal["政治能力提升报告", "季度考核", "年度考核"]
AssessmentResult = Literal["提交", "未提交", "优秀", "称职", "基本称职", "不称职"]
AssignmentType = Literal["跨处室轮岗", "专项工作", "挂职", "三线历练"]
TrainingMode = Literal["线上", "线下"]
MentorType = Literal["业务导师", "写作导师", "班子成员结对"]
Gender = Literal["男", "女"]
PoliticalStatus = Literal["中共党员", "中共预备党员", "共青团员", "民主党派", "群众"]

QUOTA_METRICS: tuple[str, ...] = (
    "study_days_per_month",
    "political_reports_per_quarter",
    "training_hours_per_cadre",
    "rotation_share",
    "secondment_share",
    "business_mentor_share",
    "writing_mentor_share",
    "forums_per_quarter",
)

# 形式 whose participants are named one by one: when 参加范围 is left out, such an activity is
# 指定 and its attendance rows are the roster (see derived_scope).
ROSTER_FORMS: tuple[str, ...] = (
    "座谈交流", "列席旁听", "宣讲比赛", "外出学习", "基层实践", "青年干部座谈会",
)  # fmt: skip

_EXCEL_EPOCH = dt.date(1899, 12, 30)
# A bare number in a date column is an Excel serial only if it lands in these years: 1996 typed
# as a year would otherwise be 1905-06-18. (The upload's own plausibility rules go further.)
SERIAL_FIRST_YEAR = 1950
# Typed into a cell, this clears the stored value on re-upload (a blank cell keeps it).
CLEAR_MARKER = "（清空）"
_CLEAR_FOLDED = folded(CLEAR_MARKER)
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)
_LIST_SEPARATORS = re.compile(r"[、，,；;\s]+")


def normalize_text(value: Any) -> Any:
    """Fold full-width digits/letters/spaces to ASCII (NFKC) and trim; other values pass through."""
    if isinstance(value, str):
        return unicodedata.normalize("NFKC", value).strip()
    return value


def _no_control_characters(value: Any) -> Any:
    """Refuse a cell holding control characters (pasted from another system, invisible in
    Excel): Word and Excel cannot hold them, so the briefing and the backup would break."""
    if isinstance(value, str):
        found = control_characters(value)
        if found:
            raise ValueError(t("data.err.control_characters", chars="、".join(found)))
    return value


def _blank_to_none(value: Any) -> Any:
    value = normalize_text(_no_control_characters(value))
    if value is None or value == "":
        return None
    if isinstance(value, float) and value != value:  # NaN from an empty spreadsheet cell
        return None
    return value


def parse_date(value: Any) -> Any:
    """Accept the date spellings Chinese offices use (also 20250301 and a date with a time of
    day), and Excel serial numbers that fall between 1950 and next year."""
    value = _blank_to_none(value)
    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if hasattr(value, "to_pydatetime"):  # pandas Timestamp
        return value.to_pydatetime().date()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if value == int(value) and 19000101 <= value <= 29991231:
            return _compact_date(str(int(value)))
        return _serial_date(value)
    text = str(value)
    time_of_day = _TIME_OF_DAY.match(text)
    if time_of_day:
        text = time_of_day.group(1)
    if re.fullmatch(r"\d{8}", text):
        return _compact_date(text)
    if re.fullmatch(r"\d{1,5}(\.\d+)?", text):
        return _serial_date(float(text))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"日期不存在：{text}") from None
    raise ValueError(f"无法识别的日期：{text}（可用格式如 2025-03-05、2025/3/5、2025年3月5日）")


_TIME_OF_DAY = re.compile(r"^(.+?)(?:[ T]+|日)\d{1,2}[:：]\d{2}(?:[:：]\d{2}(?:\.\d+)?)?$")


def _compact_date(text: str) -> dt.date:
    """20250301 → 2025-03-01."""
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        raise ValueError(f"日期不存在：{text}") from None


def _serial_date(number: float) -> dt.date:
    """An Excel serial number as a date, if it is one a sheet of this programme can mean."""
    shown = int(number) if number == int(number) else number
    last_year = dt.date.today().year + 1
    if 1 <= number < 2958466:
        day = _EXCEL_EPOCH + dt.timedelta(days=int(number))
        if SERIAL_FIRST_YEAR <= day.year <= last_year:
            return day
    raise ValueError(
        f"数字 {shown} 不是日期：按 Excel 日期序号它是 {SERIAL_FIRST_YEAR} 年以前或 {last_year} 年"
        "以后的日子。请写完整日期，如 2025-03-05 或 20250305"
    )


def parse_month(value: Any) -> Any:
    """A month as its first day; accepts 2025-03, 2025年3月 and any full date."""
    value = _blank_to_none(value)
    if isinstance(value, str):
        match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})月?", value)
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), 1)
    parsed = parse_date(value)
    return parsed.replace(day=1) if isinstance(parsed, dt.date) else parsed


def parse_id_list(value: Any) -> list[str]:
    """Split a cell of 工号 separated by 、 ， , ； ; or spaces."""
    value = _blank_to_none(value)
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(normalize_text(v)) for v in value if _blank_to_none(v) is not None]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return [part for part in _LIST_SEPARATORS.split(str(value)) if part]


def _text(value: Any) -> Any:
    """Identifiers typed into Excel often arrive as numbers (1001.0); keep them as text."""
    value = _blank_to_none(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _prose(value: Any) -> Any:
    """Free text (titles, names, places) keeps its Chinese punctuation: trimmed, not folded.

    NFKC would turn （） ： ， inside a title into ( ) : , ; codes, numbers and dates still fold.
    """
    if isinstance(value, str):
        return _no_control_characters(value).strip() or None
    return _text(value)


def derived_scope(organizer_group: str | None, form: str) -> Scope:
    """参加范围 when the sheet leaves it out: 组织小组 given → 小组; a roster-only 形式
    (ROSTER_FORMS) → 指定, the attendance rows being the roster; otherwise 全体."""
    if organizer_group:
        return "小组"
    if form in ROSTER_FORMS:
        return "指定"
    return "全体"


def award_key(
    competition: str, day: dt.date, category: str | None, prize: str, work: str | None,
    winners: list[str],
) -> str:  # fmt: skip
    """获奖编号 when the sheet has none: made from the award's own facts, so that importing the
    same award again finds the same row (HJ- and 10 hex digits of their SHA-256)."""
    facts = [competition, day.isoformat(), category or "", prize, work or "",
             "、".join(sorted(set(winners)))]  # fmt: skip
    text = "\x1f".join(unicodedata.normalize("NFKC", fact).strip() for fact in facts)
    return "HJ-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:10].upper()


Text = Annotated[str, BeforeValidator(_text)]
OptText = Annotated[str | None, BeforeValidator(_text)]
Prose = Annotated[str, BeforeValidator(_prose)]
OptProse = Annotated[str | None, BeforeValidator(_prose)]
Day = Annotated[dt.date, BeforeValidator(parse_date)]
OptDay = Annotated[dt.date | None, BeforeValidator(parse_date)]
Month = Annotated[dt.date, BeforeValidator(parse_month)]
IdList = Annotated[list[str], BeforeValidator(parse_id_list)]
Hours = Annotated[float, BeforeValidator(_blank_to_none), Field(ge=0)]


class Record(BaseModel):
    """Common configuration: aliases are the template headers; unknown fields are refused."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, validate_by_name=True, validate_by_alias=True
    )
    table: ClassVar[str]
    sheet: ClassVar[str]
    key: ClassVar[tuple[str, ...]]
    # The headers a key left blank is made from (an award's 获奖编号: award_key); none for
    # record types whose key must be given.
    key_facts: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _drop_blank_cells(cls, data: Any) -> Any:
        """Trim every cell; a blank one (empty, spaces only, NaN) is an absent value.

        So an optional enumeration such as 政治面貌 may be left empty, " 男 " is 男, and an
        empty required cell reads as "必填" rather than as an invalid value. The clear marker
        （清空） is an explicit empty value (so it is among the fields set: a re-upload clears
        the stored value, where a blank cell keeps it); a dropdown synonym (已出席, 党员 …,
        analytics.store.vocabulary) is the option it stands for.
        """
        if not isinstance(data, dict):
            return data
        lookups = _value_lookups(cls)
        kept: dict[str, Any] = {}
        for name, value in data.items():
            if isinstance(value, str):
                value = value.strip()  # also the full-width space U+3000
                if not value:
                    continue
                if value[0] in "（(" and folded(value) == _CLEAR_FOLDED:
                    value = None
                elif name in lookups:
                    lookup = lookups[name]
                    value = lookup.get(value) or lookup.get(folded(value), value)
            elif value is None or (isinstance(value, float) and value != value):
                continue
            kept[name] = value
        return kept

    def db_rows(self) -> dict[str, list[dict[str, Any]]]:
        """The database rows this record stands for, by table (most records are one row)."""
        return {self.table: [self.model_dump()]}

    def _derive(self, name: str, value: Any) -> None:
        """Fill a field the sheet left out with the value derived from the others (an "after"
        validator's step: the record is frozen once validation returns)."""
        object.__setattr__(self, name, value)


class Cadre(Record):
    table: ClassVar[str] = "cadres"
    sheet: ClassVar[str] = "青年干部"
    key: ClassVar[tuple[str, ...]] = ("cadre_id",)

    cadre_id: Text = Field(alias="工号", description="工号, unique per cadre")
    name: Prose = Field(alias="姓名", description="姓名")
    gender: Gender | None = Field(None, alias="性别", description="性别")
    birth_date: OptDay = Field(None, alias="出生日期", description="出生日期")
    division: Text = Field(alias="处室", description="处室")
    study_group: OptText = Field(None, alias="学习小组", description="理论学习小组")
    rank: OptText = Field(None, alias="职级", description="职级")
    political_status: PoliticalStatus | None = Field(None, alias="政治面貌", description="政治面貌")
    join_date: Day = Field(alias="入职日期", description="入职日期 (start of service here)")
    leave_date: OptDay = Field(None, alias="调离日期", description="调离日期; empty while in post")

    @model_validator(mode="after")
    def _leave_after_join(self) -> Cadre:
        if self.leave_date is not None and self.leave_date < self.join_date:
            raise two_cells("调离日期早于入职日期", "调离日期", "入职日期")
        return self


class Activity(Record):
    table: ClassVar[str] = "activities"
    sheet: ClassVar[str] = "活动"
    key: ClassVar[tuple[str, ...]] = ("activity_id",)

    activity_id: Text = Field(alias="活动编号", description="活动编号")
    title: Prose = Field(alias="活动名称", description="活动名称")
    category: Category = Field(alias="类别", description="三课: 理论学习/党性教育/实践锻炼")
    form: Form = Field(alias="形式", description="形式")
    theme: OptProse = Field(None, alias="主题", description="主题")
    batch: OptText = Field(None, alias="批次", description="批次 (研学活动)")
    organizer_group: OptText = Field(None, alias="组织小组", description="blank = office-wide")
    scope: Scope | None = Field(
        None, alias="参加范围",
        description="全体/小组/指定 (who is expected); left out: derived_scope",
    )  # fmt: skip
    date: Day = Field(alias="日期", description="日期")
    hours: Hours = Field(alias="学时", description="学时")
    lead: OptProse = Field(None, alias="主讲/导师", description="主讲或导师")

    @model_validator(mode="after")
    def _group_scope_needs_group(self) -> Activity:
        if self.scope is None:
            self._derive("scope", derived_scope(self.organizer_group, self.form))
        if self.scope == "小组" and not self.organizer_group:
            raise two_cells("参加范围为“小组”时必须填写组织小组", "参加范围", "组织小组")
        return self


class Attendance(Record):
    table: ClassVar[str] = "attendance"
    sheet: ClassVar[str] = "出勤"
    key: ClassVar[tuple[str, ...]] = ("activity_id", "cadre_id")

    activity_id: Text = Field(alias="活动编号", description="活动编号")
    cadre_id: Text = Field(alias="工号", description="工号")
    role: Role = Field(alias="角色", description="参加/主讲/列席")
    status: Status = Field(alias="出勤", description="出席/请假/缺席")
    credited_hours: Hours = Field(alias="计入学时", description="计入学时")


class Report(Record):
    table: ClassVar[str] = "reports"
    sheet: ClassVar[str] = "调研成果"
    key: ClassVar[tuple[str, ...]] = ("report_id",)

    report_id: Text = Field(alias="成果编号", description="成果编号")
    title: Prose = Field(alias="题目", description="题目")
    type: ReportType = Field(alias="类型", description="类型")
    source: ReportSource = Field(alias="来源", description="来源")
    theme: OptProse = Field(None, alias="主题", description="主题")
    submit_date: Day = Field(alias="提交日期", description="提交日期")
    lead_author: Text = Field(alias="执笔人工号", description="执笔人工号")
    co_authors: IdList = Field(default_factory=list, alias="参与人工号", description="参与人工号")
    grade: Grade | None = Field(None, alias="评价", description="评价")
    outcome: Outcome | None = Field(None, alias="成效", description="成效")
    outlet: OptProse = Field(None, alias="刊发载体", description="刊发载体")

    def db_rows(self) -> dict[str, list[dict[str, Any]]]:
        report = self.model_dump(exclude={"co_authors"})
        authors = [{"report_id": self.report_id, "cadre_id": self.lead_author, "role": "执笔"}]
        authors += [
            {"report_id": self.report_id, "cadre_id": cid, "role": "参与"}
            for cid in dict.fromkeys(self.co_authors)
            if cid != self.lead_author
        ]
        return {"reports": [report], "report_authors": authors}


class Award(Record):
    table: ClassVar[str] = "awards"
    sheet: ClassVar[str] = "竞赛获奖"
    key: ClassVar[tuple[str, ...]] = ("award_id",)
    key_facts: ClassVar[tuple[str, ...]] = (
        "比赛名称", "日期", "组别", "奖项", "作品", "获奖人工号",
    )  # fmt: skip

    award_id: OptText = Field(
        None, alias="获奖编号", description="获奖编号; left out: award_key of the facts below"
    )
    competition: Prose = Field(alias="比赛名称", description="比赛名称")
    organizer: OptProse = Field(None, alias="主办单位", description="主办单位")
    level: Level = Field(alias="级别", description="级别")
    date: Day = Field(alias="日期", description="日期")
    category: OptText = Field(None, alias="组别", description="组别")
    prize: Prize = Field(alias="奖项", description="奖项")
    work: OptProse = Field(None, alias="作品", description="作品")
    winners: IdList = Field(alias="获奖人工号", min_length=1, description="获奖人工号 (list)")

    @model_validator(mode="after")
    def _award_id_from_facts(self) -> Award:
        if self.award_id is None:
            self._derive(
                "award_id",
                award_key(self.competition, self.date, self.category, self.prize, self.work,
                          self.winners),
            )  # fmt: skip
        return self

    def db_rows(self) -> dict[str, list[dict[str, Any]]]:
        award = self.model_dump(exclude={"winners"})
        winners = [
            {"award_id": self.award_id, "cadre_id": cid} for cid in dict.fromkeys(self.winners)
        ]
        return {"awards": [award], "award_winners": winners}


class Assessment(Record):
    table: ClassVar[str] = "assessments"
    sheet: ClassVar[str] = "考核"
    key: ClassVar[tuple[str, ...]] = ("cadre_id", "period", "type")

    cadre_id: Text = Field(alias="工号", description="工号")
    period: Annotated[str, BeforeValidator(_text), Field(pattern=r"^\d{4}(Q[1-4])?$")] = Field(
        alias="期间", description="2025Q1 (quarter) or 2025 (year)"
    )
    type: AssessmentType = Field(alias="类型", description="类型")
    result: AssessmentResult = Field(alias="结果", description="结果")
    score: Annotated[float | None, BeforeValidator(_blank_to_none), Field(ge=0, le=100)] = Field(
        None, alias="分数", description="分数"
    )


class Assignment(Record):
    table: ClassVar[str] = "assignments"
    sheet: ClassVar[str] = "轮岗挂职"
    key: ClassVar[tuple[str, ...]] = ("cadre_id", "type", "start_date")

    cadre_id: Text = Field(alias="工号", description="工号")
    type: AssignmentType = Field(alias="类型", description="类型")
    destination: OptProse = Field(None, alias="去向单位", description="去向单位")
    start_date: Day = Field(alias="开始日期", description="开始日期")
    end_date: OptDay = Field(None, alias="结束日期", description="结束日期; empty while running")

    @model_validator(mode="after")
    def _end_after_start(self) -> Assignment:
        if self.end_date is not None and self.end_date < self.start_date:
            raise two_cells("结束日期早于开始日期", "结束日期", "开始日期")
        return self


class Training(Record):
    table: ClassVar[str] = "training"
    sheet: ClassVar[str] = "专业培训"
    key: ClassVar[tuple[str, ...]] = ("cadre_id", "course", "completion_date")

    cadre_id: Text = Field(alias="工号", description="工号")
    course: Prose = Field(alias="课程", description="课程")
    category: OptText = Field(None, alias="类别", description="公文写作、会议服务、应急处突 …")
    hours: Annotated[float, BeforeValidator(_blank_to_none), Field(gt=0)] = Field(
        alias="学时", description="学时"
    )
    completion_date: Day = Field(alias="完成日期", description="完成日期")
    mode: TrainingMode | None = Field(None, alias="方式", description="线上/线下")


class Mentorship(Record):
    table: ClassVar[str] = "mentorships"
    sheet: ClassVar[str] = "导师结对"
    key: ClassVar[tuple[str, ...]] = ("cadre_id", "mentor_type", "start_date")

    cadre_id: Text = Field(alias="工号", description="工号")
    mentor_name: Prose = Field(alias="导师姓名", description="导师姓名")
    mentor_type: MentorType = Field(alias="导师类型", description="导师类型")
    start_date: Day = Field(alias="开始日期", description="开始日期")
    end_date: OptDay = Field(None, alias="结束日期", description="结束日期")


class GroupMentor(Record):
    table: ClassVar[str] = "group_mentors"
    sheet: ClassVar[str] = "导师轮值"
    key: ClassVar[tuple[str, ...]] = ("study_group", "month")

    study_group: Text = Field(alias="学习小组", description="学习小组")
    month: Month = Field(alias="月份", description="月份, e.g. 2025-03")
    mentor_name: Prose = Field(alias="轮值导师", description="轮值导师 (处长)")


class Target(Record):
    table: ClassVar[str] = "targets"
    sheet: ClassVar[str] = "目标"
    key: ClassVar[tuple[str, ...]] = ("metric", "year")

    metric: Text = Field(alias="指标", description="quota key or points:… weighting key")
    year: int = Field(alias="年度", ge=2000, le=2100, description="年度")
    value: float = Field(alias="目标值", ge=0, description="目标值")

    @model_validator(mode="after")
    def _known_metric(self) -> Target:
        if self.metric not in QUOTA_METRICS and not self.metric.startswith("points:"):
            raise ValueError(f"未知指标：{self.metric}")
        if self.metric.endswith("_share") and self.value > 1:
            raise ValueError("比例类指标应在 0 到 100% 之间")
        return self


@functools.cache
def _value_lookups(model: type[Record]) -> dict[str, dict[str, str]]:
    """Per enumerated field, by field name and by header: synonym (folded) → option."""
    lookups: dict[str, dict[str, str]] = {}
    for name, options in enumerations(model).items():
        lookup = value_lookup(options)
        lookups[name] = lookup
        lookups[model.model_fields[name].alias or name] = lookup
    return lookups


def two_cells(message: str, *columns: str) -> PydanticCustomError:
    """A rule across cells of one row: the refusal names every cell it involves."""
    return PydanticCustomError("two_cells", message, {"columns": "、".join(columns)})


def enumerations(model: type[Record]) -> dict[str, tuple[str, ...]]:
    """The allowed values of each enumerated field (its Literal type), by field name."""
    options: dict[str, tuple[str, ...]] = {}
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if get_origin(annotation) in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        if get_origin(annotation) is Literal:
            options[name] = tuple(str(v) for v in get_args(annotation))
    return options


RECORD_TYPES: tuple[type[Record], ...] = (
    Cadre, Activity, Attendance, Report, Award, Assessment, Assignment, Training, Mentorship,
    GroupMentor, Target,
)  # fmt: skip
