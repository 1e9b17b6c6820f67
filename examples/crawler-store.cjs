// The crawler example's database side, run on an executor worker as a
// `{ module, export }` reference: real code with real imports, unlike a function
// shipped as source. One connection per call keeps it simple; SQLite serialises writers.
'use strict';
const Database = require('better-sqlite3');

function withDb(dbPath, fn) {
  const db = new Database(dbPath);
  try { return fn(db); } finally { db.close(); }
}

/** Stores one page and returns how many pages the database holds now. */
function storePage(dbPath, url, title, links) {
  return withDb(dbPath, (db) => {
    db.exec('CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, title TEXT, links INTEGER)');
    db.prepare('INSERT INTO pages (url, title, links) VALUES (?, ?, ?)').run(url, title, links);
    return db.prepare('SELECT COUNT(*) AS n FROM pages').get().n;
  });
}

function countPages(dbPath) {
  return withDb(dbPath, (db) => db.prepare('SELECT COUNT(DISTINCT url) AS n FROM pages').get().n);
}

module.exports = { storePage, countPages };
