-- 0006: full-text search over published articles (issue 5).
--
-- article_search holds, per published article (rowid = articles.id), the index form of its
-- headline and of its subtitle + body plain text: the C++ tokenizer's tokens joined by spaces
-- (core/search_tokens.hpp). sinmun_search_text(text) and sinmun_search_markdown(md) are
-- deterministic SQL functions every Sinmun connection registers (store/sqlite/sqlite_search.cpp),
-- so the tokens come from the same code for documents and queries; FTS5's own 'ascii' tokenizer
-- then only splits on the spaces (tokens hold letters, digits and marks only) and folds nothing
-- that matters, since tokens are already lowercase.
--
-- Triggers keep the index in the SAME transaction as every article change (save, publish,
-- scheduled publish, unpublish, import, delete), whatever code path makes it. Only edits of
-- headline, subtitle, body_md or status re-tokenize: view counts and pins never touch the index.
-- The table keeps its token text (not contentless) so a row can always be deleted by rowid, even
-- after a tokenizer change; `sinmun reindex` rebuilds it. Consequence: writing articles needs
-- the functions, so edit articles through sinmun, not the sqlite3 shell.
CREATE VIRTUAL TABLE article_search USING fts5(headline, body, tokenize = 'ascii');

CREATE TRIGGER article_search_insert AFTER INSERT ON articles
WHEN new.status = 'published'
BEGIN
    INSERT INTO article_search (rowid, headline, body)
    VALUES (new.id, sinmun_search_text(new.headline),
            sinmun_search_text(new.subtitle) || ' ' || sinmun_search_markdown(new.body_md));
END;

CREATE TRIGGER article_search_update AFTER UPDATE OF headline, subtitle, body_md, status ON articles
WHEN old.status IS NOT new.status OR old.headline IS NOT new.headline
  OR old.subtitle IS NOT new.subtitle OR old.body_md IS NOT new.body_md
BEGIN
    DELETE FROM article_search WHERE rowid = old.id;
    INSERT INTO article_search (rowid, headline, body)
    SELECT new.id, sinmun_search_text(new.headline),
           sinmun_search_text(new.subtitle) || ' ' || sinmun_search_markdown(new.body_md)
    WHERE new.status = 'published';
END;

CREATE TRIGGER article_search_delete AFTER DELETE ON articles
WHEN old.status = 'published'
BEGIN
    DELETE FROM article_search WHERE rowid = old.id;
END;

INSERT INTO article_search (rowid, headline, body)
SELECT id, sinmun_search_text(headline),
       sinmun_search_text(subtitle) || ' ' || sinmun_search_markdown(body_md)
FROM articles WHERE status = 'published';
