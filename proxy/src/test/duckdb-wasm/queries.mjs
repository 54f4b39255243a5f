// Starts DuckDB-WASM with the S3 settings from this page's query string
// (?endpoint=http://127.0.0.1:PORT&region=...&key=...&secret=...) and offers
// window.duckdbQueries(sqls) -> Promise of {rows: [[...], ...]} per statement, or {error}.
import * as duckdb from '@duckdb/duckdb-wasm';

const dist = new URL('./node_modules/@duckdb/duckdb-wasm/dist/', window.location.href);
const params = new URLSearchParams(window.location.search);
const status = document.getElementById('status');

async function open() {
  // The "eh" build uses WebAssembly exception handling, which Chromium has, and unlike the
  // "coi" build needs no cross-origin isolation; worker and wasm come from this page's origin.
  const worker = new Worker(new URL('duckdb-browser-eh.worker.js', dist));
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(new URL('duckdb-eh.wasm', dist).href);
  const connection = await db.connect();
  // DuckDB 0.9.1 signs S3 requests itself; an endpoint with a scheme makes it use path style.
  for (const [setting, param] of [['s3_endpoint', 'endpoint'], ['s3_region', 'region'],
      ['s3_access_key_id', 'key'], ['s3_secret_access_key', 'secret']]) {
    await connection.query(`SET ${setting}='${params.get(param).replaceAll("'", "''")}'`);
  }
  return connection;
}

// BIGINT columns arrive as JavaScript BigInt, which WebDriver cannot serialise.
function plain(value) {
  return typeof value === 'bigint' ? Number(value) : value;
}

const ready = open();
ready.then(() => { status.textContent = 'ready'; },
           (e) => { status.textContent = 'failed: ' + e; });

window.duckdbQueries = async (sqls) => {
  const connection = await ready;
  const results = [];
  for (const sql of sqls) {
    try {
      const table = await connection.query(sql);
      results.push({ rows: table.toArray().map((row) => Object.values(row.toJSON()).map(plain)) });
    } catch (e) {
      results.push({ error: String(e && e.message || e) });
    }
  }
  status.textContent = JSON.stringify(results);
  return results;
};
