-- The programme's records. Idempotent: every statement may run again on an existing database.
-- Enumerations are CHECK constraints so that no path (demo, importer, hand edit) can store a
-- value the pages do not know how to count. There are no FOREIGN KEY clauses: DuckDB refuses to
-- upsert a row that another table references, so references (工号, 活动编号) are checked by the
-- importer's validation before anything is written (analytics.store.models / analytics.dataio.importer).

CREATE TABLE IF NOT EXISTS cadres (
    cadre_id         VARCHAR PRIMARY KEY,            -- 工号
    name             VARCHAR NOT NULL,               -- 姓名
    gender           VARCHAR CHECK (gender IN ('男', '女')),  -- 性别 (optional)
    birth_date       DATE,                           -- 出生日期
    division         VARCHAR NOT NULL,               -- 处室
    study_group      VARCHAR,                        -- 学习小组
    rank             VARCHAR,                        -- 职级
    political_status VARCHAR CHECK (political_status IN
        ('中共党员', '中共预备党员', '共青团员', '民主党派', '群众')),
    join_date        DATE NOT NULL,                  -- 入职日期
    leave_date       DATE,                           -- 调离日期
    CHECK (leave_date IS NULL OR leave_date >= join_date)
);

CREATE TABLE IF NOT EXISTS activities (
    activity_id     VARCHAR PRIMARY KEY,             -- 活动编号
    title           VARCHAR NOT NULL,                -- 活动名称
    category        VARCHAR NOT NULL CHECK (category IN ('理论学习', '党性教育', '实践锻炼')),
    form            VARCHAR NOT NULL CHECK (form IN (
        '导师领学', '研学活动', '座谈交流', '列席旁听', '理论学习日', '培训班', '红色教育',
        '专题党课', '警示教育', '专题学习', '宣讲比赛', '基层实践', '专题讲座', '外出学习',
        '青年干部座谈会', '其他')),
    theme           VARCHAR,                         -- 主题
    batch           VARCHAR,                         -- 批次
    organizer_group VARCHAR,                         -- 组织小组; NULL = office-wide
    scope           VARCHAR NOT NULL CHECK (scope IN ('全体', '小组', '指定')),  -- 参加范围
    date            DATE NOT NULL,                   -- 日期
    hours           DOUBLE NOT NULL CHECK (hours >= 0),  -- 学时
    lead            VARCHAR,                         -- 主讲/导师
    CHECK (scope <> '小组' OR organizer_group IS NOT NULL)
);

CREATE TABLE IF NOT EXISTS attendance (
    activity_id    VARCHAR NOT NULL,
    cadre_id       VARCHAR NOT NULL,
    role           VARCHAR NOT NULL CHECK (role IN ('参加', '主讲', '列席')),
    status         VARCHAR NOT NULL CHECK (status IN ('出席', '请假', '缺席')),
    credited_hours DOUBLE NOT NULL CHECK (credited_hours >= 0),  -- 计入学时
    PRIMARY KEY (activity_id, cadre_id)
);

CREATE TABLE IF NOT EXISTS reports (
    report_id   VARCHAR PRIMARY KEY,                 -- 成果编号
    title       VARCHAR NOT NULL,                    -- 题目
    type        VARCHAR NOT NULL CHECK (type IN ('调研报告', '调研文章', '心得体会', '改革建议', '征文')),
    source      VARCHAR NOT NULL CHECK (source IN
        ('产业观察', '回乡见闻', '专题调研', '基层实践', '揭榜挂帅', '理论学习', '其他')),
    theme       VARCHAR,                             -- 主题
    submit_date DATE NOT NULL,                       -- 提交日期
    lead_author VARCHAR NOT NULL,  -- 执笔人工号
    grade       VARCHAR CHECK (grade IN ('优秀', '良好', '合格')),  -- 评价
    outcome     VARCHAR CHECK (outcome IN ('领导批示', '采纳', '刊发', '成果转化')),  -- 成效
    outlet      VARCHAR                              -- 刊发载体
);

-- Every author of a report, the lead author included (role 执笔) so that one join counts people.
CREATE TABLE IF NOT EXISTS report_authors (
    report_id VARCHAR NOT NULL,
    cadre_id  VARCHAR NOT NULL,
    role      VARCHAR NOT NULL CHECK (role IN ('执笔', '参与')),
    PRIMARY KEY (report_id, cadre_id)
);

CREATE TABLE IF NOT EXISTS awards (
    award_id    VARCHAR PRIMARY KEY,                 -- 获奖编号
    competition VARCHAR NOT NULL,                    -- 比赛名称
    organizer   VARCHAR,                             -- 主办单位
    level       VARCHAR NOT NULL CHECK (level IN ('市直机关', '市级', '省级', '国家级')),
    date        DATE NOT NULL,
    category    VARCHAR,                             -- 组别
    prize       VARCHAR NOT NULL CHECK (prize IN ('一等奖', '二等奖', '三等奖', '优秀奖', '优异成绩')),
    work        VARCHAR                              -- 作品
);

CREATE TABLE IF NOT EXISTS award_winners (
    award_id VARCHAR NOT NULL,
    cadre_id VARCHAR NOT NULL,
    PRIMARY KEY (award_id, cadre_id)
);

CREATE TABLE IF NOT EXISTS assessments (
    cadre_id VARCHAR NOT NULL,
    period   VARCHAR NOT NULL CHECK (regexp_full_match(period, '[0-9]{4}(Q[1-4])?')),  -- 2025Q1 / 2025
    type     VARCHAR NOT NULL CHECK (type IN ('政治能力提升报告', '季度考核', '年度考核')),
    result   VARCHAR NOT NULL CHECK (result IN ('提交', '未提交', '优秀', '称职', '基本称职', '不称职')),
    score    DOUBLE CHECK (score IS NULL OR (score >= 0 AND score <= 100)),
    PRIMARY KEY (cadre_id, period, type)
);

CREATE TABLE IF NOT EXISTS assignments (
    cadre_id    VARCHAR NOT NULL,
    type        VARCHAR NOT NULL CHECK (type IN ('跨处室轮岗', '专项工作', '挂职', '三线历练')),
    destination VARCHAR,                             -- 去向单位
    start_date  DATE NOT NULL,
    end_date    DATE,                                -- NULL = still running
    PRIMARY KEY (cadre_id, type, start_date),
    CHECK (end_date IS NULL OR end_date >= start_date)
);

CREATE TABLE IF NOT EXISTS training (
    cadre_id        VARCHAR NOT NULL,
    course          VARCHAR NOT NULL,                -- 课程
    category        VARCHAR,                         -- 类别 (公文写作、会议服务、应急处突 …)
    hours           DOUBLE NOT NULL CHECK (hours > 0),
    completion_date DATE NOT NULL,
    mode            VARCHAR CHECK (mode IN ('线上', '线下')),
    PRIMARY KEY (cadre_id, course, completion_date)
);

CREATE TABLE IF NOT EXISTS mentorships (
    cadre_id    VARCHAR NOT NULL,
    mentor_name VARCHAR NOT NULL,
    mentor_type VARCHAR NOT NULL CHECK (mentor_type IN ('业务导师', '写作导师', '班子成员结对')),
    start_date  DATE NOT NULL,
    end_date    DATE,
    PRIMARY KEY (cadre_id, mentor_type, start_date),
    CHECK (end_date IS NULL OR end_date >= start_date)
);

CREATE TABLE IF NOT EXISTS group_mentors (
    study_group VARCHAR NOT NULL,
    month       DATE NOT NULL CHECK (day(month) = 1),  -- first day of the month
    mentor_name VARCHAR NOT NULL,                     -- 轮值导师 (a 处长)
    PRIMARY KEY (study_group, month)
);

-- Quotas per year, and the award points weighting (metric 'points:prize:一等奖',
-- 'points:level:省级'), so that every number the office may change is data, not code.
CREATE TABLE IF NOT EXISTS targets (
    metric VARCHAR NOT NULL CHECK (metric IN (
        'study_days_per_month', 'political_reports_per_quarter', 'training_hours_per_cadre',
        'rotation_share', 'secondment_share', 'business_mentor_share', 'writing_mentor_share',
        'forums_per_quarter') OR starts_with(metric, 'points:')),
    year   INTEGER NOT NULL,
    value  DOUBLE NOT NULL CHECK (value >= 0),
    PRIMARY KEY (metric, year)
);

-- The plan's defaults (PRODUCT.md's table) and the award points weighting's: they apply to every
-- year that has no value of its own in targets, a new database included, and the pages mark them
-- 默认. Editing a year writes that year's own row in targets; nothing writes these. Read them
-- through targets_of (below), never one table alone.
CREATE TABLE IF NOT EXISTS target_defaults (
    metric VARCHAR PRIMARY KEY CHECK (metric IN (
        'study_days_per_month', 'political_reports_per_quarter', 'training_hours_per_cadre',
        'rotation_share', 'secondment_share', 'business_mentor_share', 'writing_mentor_share',
        'forums_per_quarter') OR starts_with(metric, 'points:')),
    value  DOUBLE NOT NULL CHECK (value >= 0)
);
INSERT INTO target_defaults VALUES
    ('study_days_per_month', 1),            -- 青年政治理论学习日 每月 1 次
    ('political_reports_per_quarter', 1),   -- 政治能力提升报告 每人每季度 1 篇
    ('training_hours_per_cadre', 60),       -- 专业培训 每人每年 60 学时
    ('rotation_share', 0.30),               -- 跨处室轮岗、专项工作 30%
    ('secondment_share', 0.20),             -- 挂职 20%
    ('business_mentor_share', 1.0),         -- 每人 1 名业务导师
    ('writing_mentor_share', 1.0),          -- 每人 1 名写作导师
    ('forums_per_quarter', 1),              -- 青年干部座谈会 每季度 1 次
    ('points:prize:一等奖', 5), ('points:prize:二等奖', 4), ('points:prize:三等奖', 3),
    ('points:prize:优秀奖', 2), ('points:prize:优异成绩', 2),
    ('points:level:市直机关', 1.0), ('points:level:市级', 1.5), ('points:level:省级', 2.0),
    ('points:level:国家级', 3.0)
ON CONFLICT DO NOTHING;

-- Every target of year y: the year's own value, else the default (is_default marks which).
CREATE OR REPLACE MACRO targets_of(y) AS TABLE
    SELECT metric, value, false AS is_default FROM targets WHERE year = y
    UNION ALL
    SELECT d.metric, d.value, true AS is_default
    FROM target_defaults AS d
    WHERE NOT EXISTS (SELECT 1 FROM targets AS t WHERE t.year = y AND t.metric = d.metric);

-- Bookkeeping: data_version grows with every write so caches keyed on it never serve stale rows.
CREATE TABLE IF NOT EXISTS meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
INSERT INTO meta VALUES ('data_version', '0') ON CONFLICT DO NOTHING;

-- Who is expected at an activity, and whether they came. 全体: every cadre in post on the day;
-- 小组: the organising group's members in post; 指定: the people on the roster. Anyone with an
-- attendance row is expected too. An expected cadre with no row is 未登记 (counted as absent).
-- A cadre away on a stint (挂职, 三线历练) on the day of a 全体 or 小组 activity is not expected
-- at it: the row is kept with on_stint = true, so pages show it apart (挂职期间 n 人次) and
-- scoped_expected leaves it out; one who came anyway (出席) counts as usual, and a roster (指定)
-- names its people whatever their stint.
-- This view is the rule; pages read `expected_attendance` (below), a stored copy of it that
-- analytics.store.db.refresh_derived rebuilds after every write. Each scope is its own join (an OR
-- inside one join condition makes DuckDB compare every activity with every cadre), and the
-- pairs are matched on row numbers rather than on the two text keys, which at ten million
-- attendance rows is the difference between seconds and minutes.
CREATE OR REPLACE VIEW expected_attendance_rule AS
WITH acts AS (
    SELECT rowid AS a_no, activity_id, date, scope, organizer_group FROM activities
),
people AS (
    SELECT rowid AS c_no, cadre_id, study_group, join_date,
           coalesce(leave_date, DATE '9999-12-31') AS until
    FROM cadres
),
recorded AS (
    SELECT a.a_no, c.c_no, t.cadre_id, t.role, t.status, t.credited_hours
    FROM attendance AS t
    JOIN acts AS a USING (activity_id)
    LEFT JOIN people AS c USING (cadre_id)
),
scoped AS (
    SELECT a.a_no, c.c_no, c.cadre_id
    FROM acts AS a JOIN people AS c ON c.join_date <= a.date AND c.until >= a.date
    WHERE a.scope = '全体'
    UNION ALL
    SELECT a.a_no, c.c_no, c.cadre_id
    FROM acts AS a JOIN people AS c ON c.study_group = a.organizer_group
    WHERE a.scope = '小组' AND c.join_date <= a.date AND c.until >= a.date
),
expected AS (
    SELECT a_no, c_no, cadre_id, role, status, credited_hours FROM recorded
    UNION ALL
    SELECT s.a_no, s.c_no, s.cadre_id, '参加', '未登记', 0
    FROM scoped AS s ANTI JOIN recorded AS r USING (a_no, c_no)
),
away AS (  -- the stints that take a cadre away from the office's own activities
    SELECT c.c_no, s.start_date, coalesce(s.end_date, DATE '9999-12-31') AS end_date
    FROM assignments AS s JOIN people AS c USING (cadre_id)
    WHERE s.type IN ('挂职', '三线历练')
),
excused AS (  -- (activity, cadre) pairs of a 全体/小组 activity held during such a stint
    SELECT DISTINCT e.a_no, e.c_no
    FROM expected AS e
    JOIN acts AS a USING (a_no)
    JOIN away AS w ON w.c_no = e.c_no AND a.date BETWEEN w.start_date AND w.end_date
    WHERE a.scope <> '指定' AND e.status <> '出席'
)
SELECT
    a.activity_id,
    e.cadre_id,
    a.date,
    a.category,
    a.form,
    a.organizer_group,
    e.role,
    e.status,
    e.credited_hours,
    x.a_no IS NOT NULL AS on_stint
FROM expected AS e
LEFT JOIN excused AS x ON x.a_no = e.a_no AND x.c_no = e.c_no
JOIN activities AS a ON a.rowid = e.a_no;

-- The sidebar's group/division filter, in one place: every metric reads cadres through it.
-- It also applies the signed-in role's row-level restriction: a 小组导师 sees only their own
-- group. That restriction is the connection variable `visible_group`, which
-- analytics.store.query.run sets from Filters.visible_group before every statement (and
-- ui.state.metric on every cursor it hands out), so a metric that widens the sidebar filter
-- (e.g. group := NULL to compare groups) still never reads another group's cadres.
CREATE OR REPLACE MACRO scoped_cadres(grp, divn) AS TABLE
    SELECT * FROM cadres
    WHERE (grp IS NULL OR study_group = grp) AND (divn IS NULL OR division = divn)
      AND (getvariable('visible_group') IS NULL OR study_group = getvariable('visible_group'));

-- Every month of a period, as the first day of the month (the rows of a monthly chart).
CREATE OR REPLACE MACRO period_months(s, e) AS TABLE
    SELECT CAST(m AS DATE) AS month
    FROM range(date_trunc('month', CAST(s AS DATE)), CAST(e AS DATE) + INTERVAL 1 DAY,
               INTERVAL 1 MONTH) AS t(m);

-- In post at some time between s and e (both inclusive).
CREATE OR REPLACE MACRO in_post(join_d, leave_d, s, e) AS
    join_d <= e AND (leave_d IS NULL OR leave_d >= s);

-- ----- issue 9: derived tables (city scale) -----
-- Stored results of the rules above, rebuilt by analytics.store.db.refresh_derived after every write
-- (insert_rows, bump_data_version, and on opening a database whose copy is out of date), so a
-- page never re-derives ten million (activity, cadre) pairs. Sorted by date, so that a period's
-- rows are all DuckDB reads. study_group and division are the cadre's, for filtering without a
-- join; derived_state (in meta) fingerprints the records the copy was built from.
CREATE TABLE IF NOT EXISTS expected_attendance_facts (
    activity_id     VARCHAR,
    cadre_id        VARCHAR,
    date            DATE,
    category        VARCHAR,
    form            VARCHAR,
    organizer_group VARCHAR,
    role            VARCHAR,
    status          VARCHAR,
    credited_hours  DOUBLE,
    on_stint        BOOLEAN,
    study_group     VARCHAR,
    division        VARCHAR
);
-- A copy written before the stint rule: give it the column (refresh_derived then rebuilds it,
-- since the fingerprint now covers assignments).
ALTER TABLE expected_attendance_facts ADD COLUMN IF NOT EXISTS on_stint BOOLEAN DEFAULT false;

-- A period's rows of the copy for the sidebar's group/division filter: the same filter as
-- scoped_cadres, the visible_group restriction included (cadres on file only; the copy carries
-- each cadre's group and division), read straight from the copy without a join.
CREATE OR REPLACE MACRO scoped_facts(grp, divn, s, e) AS TABLE
    SELECT * FROM expected_attendance_facts
    WHERE date BETWEEN s AND e
      AND division IS NOT NULL  -- NOT NULL in cadres: NULL here means no such cadre
      AND (grp IS NULL OR study_group = grp) AND (divn IS NULL OR division = divn)
      AND (getvariable('visible_group') IS NULL OR study_group = getvariable('visible_group'));

-- Who was expected: every metric's rows (the stint rule above leaves out on_stint rows).
CREATE OR REPLACE MACRO scoped_expected(grp, divn, s, e) AS TABLE
    SELECT * FROM scoped_facts(grp, divn, s, e) WHERE NOT on_stint;

-- Who was away on a stint and so not expected: shown apart as 挂职期间 n 人次.
CREATE OR REPLACE MACRO scoped_on_stint(grp, divn, s, e) AS TABLE
    SELECT * FROM scoped_facts(grp, divn, s, e) WHERE on_stint;

-- The one name pages and metrics read: the rule's expected rows and columns.
CREATE OR REPLACE VIEW expected_attendance AS
SELECT activity_id, cadre_id, date, category, form, organizer_group, role, status, credited_hours
FROM expected_attendance_facts
WHERE NOT on_stint;
-- ----- end issue 9 -----

-- ----- data (import audit trail) -----
-- One row per committed import: when, who (the browser session until accounts exist, or the
-- command line's user), the files with their SHA-256, and the per-table counts as JSON.
CREATE SEQUENCE IF NOT EXISTS import_log_seq START 1;
CREATE TABLE IF NOT EXISTS import_log (
    import_id   BIGINT PRIMARY KEY DEFAULT nextval('import_log_seq'),
    imported_at TIMESTAMP NOT NULL,                  -- local time of the commit
    imported_by VARCHAR NOT NULL,                    -- 会话 … / 命令行 …
    file_name   VARCHAR NOT NULL,                    -- file names, joined by '、'
    sha256      VARCHAR NOT NULL,                    -- hex digests, in file order, joined by ' '
    counts      VARCHAR NOT NULL                     -- JSON {table: {new, changed, unchanged}}
);
-- ----- end data -----

-- ----- access control and audit (issue 10) -----
-- Accounts that may sign in. Passwords are stored only as scrypt hashes with a per-account salt
-- (format and cost in analytics.access.auth). role is checked by analytics.access.auth.Role, not here, so that
-- a row with an empty or unknown role can exist and is denied everything (deny by default).
CREATE TABLE IF NOT EXISTS accounts (
    username        VARCHAR PRIMARY KEY,
    display_name    VARCHAR NOT NULL,
    role            VARCHAR,                         -- 领导 / 管理员 / 小组导师
    study_group     VARCHAR,                         -- the group a 小组导师 follows
    password_hash   VARCHAR NOT NULL,                -- scrypt$n$r$p$salt_hex$hash_hex
    disabled        BOOLEAN NOT NULL DEFAULT false,
    failed_attempts INTEGER NOT NULL DEFAULT 0,      -- consecutive failures since the last success
    locked_until    TIMESTAMP,                       -- set after too many failures
    created_at      TIMESTAMP NOT NULL,
    password_set_at TIMESTAMP NOT NULL
);

-- Append-only record of every sign-in, look at a person, export, import and target change.
-- analytics.access.audit offers an insert and a read, never an update or delete.
CREATE SEQUENCE IF NOT EXISTS audit_log_id;
CREATE TABLE IF NOT EXISTS audit_log (
    id        BIGINT PRIMARY KEY DEFAULT nextval('audit_log_id'),
    logged_at TIMESTAMP NOT NULL,                    -- local time of the server
    actor     VARCHAR NOT NULL,                      -- account name (演示:<role> in demo mode)
    role      VARCHAR,
    action    VARCHAR NOT NULL,                      -- analytics.access.audit.Action
    target    VARCHAR,                               -- whom or what: 工号, table, file name …
    filters   VARCHAR,                               -- the Filters as JSON, when there were any
    row_count BIGINT,
    detail    VARCHAR,
    client    VARCHAR                                -- sign-in attempts: the request's address
);
-- Files from before the client column get it (at the end, where a new table has it too).
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS client VARCHAR;
-- ----- end access control and audit -----

-- ----- 自助分析 常用视图 (issue 21) -----
-- A question saved under a name by one account (owner); shared = offered to every account
-- (only a 管理员 may share: analytics.access.auth.Capability.SHARE_VIEWS). `question` holds the
-- question's URL query parameters as JSON (analytics.semantic.question.to_params), checked
-- against the catalogue again whenever it is opened. Written only by analytics.semantic.views,
-- each write with its audit row in the same transaction.
CREATE SEQUENCE IF NOT EXISTS saved_views_id;
CREATE TABLE IF NOT EXISTS saved_views (
    id       BIGINT PRIMARY KEY DEFAULT nextval('saved_views_id'),
    owner    VARCHAR NOT NULL,                       -- account name (演示:<role> in demo mode)
    name     VARCHAR NOT NULL CHECK (length(trim(name)) > 0),
    question VARCHAR NOT NULL,                       -- JSON of the query parameters
    shared   BOOLEAN NOT NULL DEFAULT false,
    saved_at TIMESTAMP NOT NULL,
    UNIQUE (owner, name)
);
-- ----- end 自助分析 -----

-- ----- change journal (issue 17) -----
-- Every write of records (an import, an edit, a deletion, a merge of two 工号, an undo, the
-- targets editor) is one change: a change_log row, and in change_rows every row it touched as
-- it was before (NULL: the row did not exist) and after (NULL: deleted), as JSON of the whole
-- row. Written by analytics.store.journal inside the writer's own transaction; never updated
-- or deleted once committed, so a deleted record can always be restored, and an undo restores
-- exactly the state before its change. `undoes` names the change an undo reverted.
CREATE SEQUENCE IF NOT EXISTS change_log_id START 1;
CREATE TABLE IF NOT EXISTS change_log (
    change_id BIGINT PRIMARY KEY DEFAULT nextval('change_log_id'),
    logged_at TIMESTAMP NOT NULL,                    -- local time of the server
    actor     VARCHAR NOT NULL,                      -- 显示名（账号）, 命令行 …
    kind      VARCHAR NOT NULL CHECK (kind IN ('import', 'edit', 'delete', 'merge', 'undo', 'targets')),
    summary   VARCHAR NOT NULL,                      -- what was done, in words
    import_id BIGINT,                                -- kind import: its import_log row
    undoes    BIGINT                                 -- kind undo: the change it reverted
);
CREATE TABLE IF NOT EXISTS change_rows (
    change_id BIGINT NOT NULL,
    tbl       VARCHAR NOT NULL,                      -- a record table (analytics.store.db.TABLE_ORDER)
    row_key   VARCHAR NOT NULL,                      -- JSON list of the key's values, as text
    before    VARCHAR,                               -- JSON of the row before; NULL: not there
    after     VARCHAR,                               -- JSON of the row after; NULL: deleted
    PRIMARY KEY (change_id, tbl, row_key)
);
-- ----- end change journal -----
