"""DuckDB side of benches/run.sh.

  duck.py load DB CSV       load the export's CSV into table `outcomes` of database DB
  duck.py query DB SQL N    run SQL N times over it; print the median query time (ms)
  duck.py once DB SQL       open DB, run SQL once, print the row count (time the process)
"""
import statistics
import sys
import time

import duckdb


def main(argv):
    what, db = argv[1], argv[2]
    con = duckdb.connect(db)
    if what == "load":
        con.execute("DROP TABLE IF EXISTS outcomes")
        con.execute(
            "CREATE TABLE outcomes AS SELECT * FROM read_csv(?, header = true, all_varchar = true)",
            [argv[3]],
        )
        return
    sql = open(argv[3]).read()
    if what == "once":
        print(len(con.execute(sql).fetchall()))
        return
    times = []
    for _ in range(int(argv[4])):
        t0 = time.perf_counter()
        con.execute(sql).fetchall()
        times.append((time.perf_counter() - t0) * 1000)
    print(f"{statistics.median(times):.1f}")


if __name__ == "__main__":
    main(sys.argv)
