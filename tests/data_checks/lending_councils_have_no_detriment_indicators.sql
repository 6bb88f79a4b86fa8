-- A council that lends staff to a programme has no-detriment indicators for it.
SELECT pp.programme_id, pp.ons_code
FROM programme_party AS pp
WHERE pp.is_lending AND NOT EXISTS (
    SELECT 1 FROM indicator AS i
    WHERE i.programme_id = pp.programme_id AND i.ons_code = pp.ons_code AND i.purpose = 'no_detriment')
