-- 0007: search ranks from the index alone (issue 5). Rebuilds article_search (0006) with the
-- article's section and 입력 time as UNINDEXED columns, first in the row, so ranking, the section
-- filter and newest-first order never read the articles table for each match (an article row
-- holds its body, and the columns after it sit on overflow pages): only a page's rows are joined.
-- Same tokens and the same triggers as 0006 (see there), which now also follow section and
-- 입력 time changes.
DROP TRIGGER article_search_insert;
DROP TRIGGER article_search_update;
DROP TRIGGER article_search_delete;
DROP TABLE article_search;

CREATE VIRTUAL TABLE article_search USING fts5(
    section_id UNINDEXED, published_at UNINDEXED, headline, body, tokenize = 'ascii');

CREATE TRIGGER article_search_insert AFTER INSERT ON articles
WHEN new.status = 'published'
BEGIN
    INSERT INTO article_search (rowid, section_id, published_at, headline, body)
    VALUES (new.id, new.section_id, new.published_at, sinmun_search_text(new.headline),
            sinmun_search_text(new.subtitle) || ' ' || sinmun_search_markdown(new.body_md));
END;

CREATE TRIGGER article_search_update
AFTER UPDATE OF headline, subtitle, body_md, status, section_id, published_at ON articles
WHEN old.status IS NOT new.status OR old.headline IS NOT new.headline
  OR old.subtitle IS NOT new.subtitle OR old.body_md IS NOT new.body_md
  OR old.section_id IS NOT new.section_id OR old.published_at IS NOT new.published_at
BEGIN
    DELETE FROM article_search WHERE rowid = old.id;
    INSERT INTO article_search (rowid, section_id, published_at, headline, body)
    SELECT new.id, new.section_id, new.published_at, sinmun_search_text(new.headline),
           sinmun_search_text(new.subtitle) || ' ' || sinmun_search_markdown(new.body_md)
    WHERE new.status = 'published';
END;

CREATE TRIGGER article_search_delete AFTER DELETE ON articles
WHEN old.status = 'published'
BEGIN
    DELETE FROM article_search WHERE rowid = old.id;
END;

INSERT INTO article_search (rowid, section_id, published_at, headline, body)
SELECT id, section_id, published_at, sinmun_search_text(headline),
       sinmun_search_text(subtitle) || ' ' || sinmun_search_markdown(body_md)
FROM articles WHERE status = 'published';
