-- A quarterly report's reporting date is the last day of its quarter ("2023-Q3" → 30 Sep 2023).
-- Column: reporting_date
SELECT report_id FROM commissioner_report
WHERE reporting_date <> CAST(make_date(CAST(substr(quarter_label, 1, 4) AS INTEGER),
                                        3 * CAST(substr(quarter_label, 7, 1) AS INTEGER), 1)
                              + INTERVAL '1 month' - INTERVAL '1 day' AS DATE)
