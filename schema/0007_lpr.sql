-- The 1-year loan prime rate (LPR) fixings a loan contract's stated LPR is checked against
-- (POLICIES.md, "5. Interest subsidies"). The rows below mirror lpr/lpr-1y.csv, the table the
-- project ships, converted from percent to a decimal fraction (3.45 % is 0.0345); they were
-- generated once from that file. Administrators add later fixings through POST /v1/lpr, which
-- never changes a fixing already in force (lpr.Table.Add).
CREATE TABLE lpr_fixings (
    effective  date PRIMARY KEY,
    rate       numeric(12,8) NOT NULL CHECK (rate > 0 AND rate <= 1),
    created_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO lpr_fixings (effective, rate) VALUES
    ('2019-08-20', 0.0425),
    ('2019-09-20', 0.042),
    ('2019-11-20', 0.0415),
    ('2020-02-20', 0.0405),
    ('2020-04-20', 0.0385),
    ('2021-12-20', 0.038),
    ('2022-01-20', 0.037),
    ('2022-08-22', 0.0365),
    ('2023-06-20', 0.0355),
    ('2023-08-21', 0.0345),
    ('2024-07-22', 0.0335),
    ('2024-10-21', 0.031),
    ('2025-05-20', 0.03);

GRANT SELECT, INSERT ON lpr_fixings TO subsidyflow_app;
