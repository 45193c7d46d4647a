"""End-to-end tests of `hubbub admin` against the real binary and a fresh data
directory per test: the command names, exit statuses and `--json` documents are
a contract operators' scripts rely on (docs/admin.md)."""
import json
import os
import sqlite3
import stat
import subprocess
import threading
import time

import pytest

from conftest import HUBBUB


def admin(data_dir, *args, stdin=None, env=None):
    """Runs `hubbub admin ARGS --data-dir DATA_DIR`; returns the completed process."""
    return subprocess.run(
        [HUBBUB, "admin", *args, "--data-dir", str(data_dir)],
        input=stdin, capture_output=True, text=True, timeout=30, env=env,
    )


def admin_json(data_dir, *args):
    result = admin(data_dir, *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def all_cards(board):
    return [card for column in board["columns"] for card in column["cards"]]


SEED = {
    "projects": [
        {
            "id": "p_web",
            "name": "Website",
            "members": [
                {"user_id": "u_ann", "name": "Ann", "email": "ann@example.com", "username": "ann"},
                {"user_id": "u_ben", "name": "Ben", "email": "ben@example.com", "username": "ben"},
            ],
            "columns": [
                {"id": "backlog", "name": "Backlog", "cards": [{"id": "c1", "title": "Logo"}, {"title": "Copy"}]},
                {"id": "done", "name": "Done"},
            ],
        },
        {"id": "p_ops", "name": "Operations", "columns": [{"id": "todo", "name": "To do", "cards": [{"title": "Backups"}]}]},
    ]
}


def test_seed_demo_then_list_in_json(tmp_path):
    data = tmp_path / "data"
    result = admin(data, "seed", "--demo")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("p_demo: project created")
    assert stat.S_IMODE(os.stat(data).st_mode) == 0o700
    assert (data / "hubbub.sqlite3").exists()

    assert admin_json(data, "project", "list") == {"projects": [{"id": "p_demo", "name": "Demo project"}]}
    members = admin_json(data, "member", "list", "--project", "p_demo")["members"]
    assert [(m["user_id"], m["name"], m["username"], m["email"]) for m in members] == [
        ("u_alice", "Alice Adams", "alice", "alice@example.com"),
        ("u_bob", "Bob Baker", "bob", "bob@example.com"),
        ("u_carol", "Carol Chen", "carol.chen", "carol@example.com"),
    ]
    columns = admin_json(data, "column", "list", "--project", "p_demo")["columns"]
    assert [(c["id"], c["name"], c["position"]) for c in columns] == [
        ("col_todo", "To do", 0), ("col_doing", "Doing", 1), ("col_done", "Done", 2),
    ]
    board = admin_json(data, "card", "list", "--project", "p_demo")
    assert board["project"] == "p_demo" and board["head_seq"] == 3
    todo = board["columns"][0]
    assert todo["id"] == "col_todo" and len(todo["cards"]) == 3
    assert [card["position"] for card in todo["cards"]] == [0, 1, 2]
    assert all(card["version"] == 1 and card["column_id"] == "col_todo" for card in todo["cards"])
    assert board["columns"][1]["cards"] == [] and board["columns"][2]["cards"] == []

    # The human-readable forms name the same things.
    text = admin(data, "card", "list", "--project", "p_demo").stdout
    assert "To do [col_todo, position 0]: 3 card(s)" in text


def test_seed_file_twice_creates_no_duplicate_cards(tmp_path):
    data = tmp_path / "data"
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps(SEED))

    first = admin(data, "seed", str(seed))
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "p_web: project created; members 2 added, 0 updated; columns 2 added, 0 updated; cards 2 created (seq 1-2)",
        "p_ops: project created; members 0 added, 0 updated; columns 1 added, 0 updated; cards 1 created (seq 1)",
    ]
    board = admin_json(data, "card", "list", "--project", "p_web")
    assert [card["title"] for card in all_cards(board)] == ["Logo", "Copy"]
    assert all_cards(board)[0]["id"] == "c1"

    # Second run, from stdin, with a renamed member: upserts, no new cards, no new events.
    SEED_AGAIN = json.loads(json.dumps(SEED))
    SEED_AGAIN["projects"][0]["members"][0]["name"] = "Ann Arbor"
    second = admin(data, "seed", "-", stdin=json.dumps(SEED_AGAIN))
    assert second.returncode == 0, second.stderr
    assert "cards 0 created, 1 column(s) already had cards" in second.stdout.splitlines()[0]
    again = admin_json(data, "card", "list", "--project", "p_web")
    assert again == board
    assert admin_json(data, "card", "list", "--project", "p_ops")["head_seq"] == 1
    names = [m["name"] for m in admin_json(data, "member", "list", "--project", "p_web")["members"]]
    assert names == ["Ann Arbor", "Ben"]


def test_member_add_with_a_taken_username_fails(tmp_path):
    data = tmp_path / "data"
    assert admin(data, "seed", "--demo").returncode == 0
    taken = admin(data, "member", "add", "--project", "p_demo", "--user", "u_dave", "--name", "Dave",
                  "--email", "dave@example.com", "--username", "ALICE")  # case-insensitively taken
    assert taken.returncode == 1
    assert "username ALICE is already taken in project p_demo by u_alice" in taken.stderr
    members = admin_json(data, "member", "list", "--project", "p_demo")["members"]
    assert "u_dave" not in [m["user_id"] for m in members]

    # The same user may keep (or re-case) their own username; a new one is fine too.
    ok = admin(data, "member", "add", "--project", "p_demo", "--user", "u_alice", "--name", "Alice A.",
               "--email", "alice@example.com", "--username", "Alice")
    assert ok.returncode == 0, ok.stderr
    added = admin(data, "member", "add", "--project", "p_demo", "--user", "u_dave", "--name", "Dave",
                  "--email", "dave@example.com", "--username", "dave")
    assert added.returncode == 0 and "added member u_dave" in added.stdout
    removed = admin(data, "member", "remove", "--project", "p_demo", "--user", "u_dave")
    assert removed.returncode == 0
    assert admin(data, "member", "remove", "--project", "p_demo", "--user", "u_dave").returncode == 1


def test_card_add_increases_seq(tmp_path):
    data = tmp_path / "data"
    assert admin(data, "project", "add", "p1", "--name", "One").returncode == 0
    assert admin(data, "column", "add", "--project", "p1", "--id", "todo", "--name", "To do").returncode == 0
    assert admin(data, "column", "add", "--project", "p1", "--id", "done", "--name", "Done").returncode == 0
    columns = admin_json(data, "column", "list", "--project", "p1")["columns"]
    assert [(c["id"], c["position"]) for c in columns] == [("todo", 0), ("done", 1)]

    first = admin_json(data, "card", "add", "--project", "p1", "--column", "todo", "--title", "First")
    second = admin_json(data, "card", "add", "--project", "p1", "--column", "todo", "--title", "Second",
                        "--position", "0", "--id", "c_second")
    assert first["seq"] == 1 and second["seq"] == 2
    assert second["card"]["id"] == "c_second" and second["card"]["position"] == 0
    assert first["card"]["id"]  # chosen by the store

    text = admin(data, "card", "add", "--project", "p1", "--column", "done", "--title", "Third")
    assert text.returncode == 0, text.stderr
    assert text.stdout.strip().endswith("seq 3")

    board = admin_json(data, "card", "list", "--project", "p1")
    assert board["head_seq"] == 3
    assert [card["title"] for card in board["columns"][0]["cards"]] == ["Second", "First"]

    # An existing id or a missing column is refused and stores nothing.
    dup = admin(data, "card", "add", "--project", "p1", "--column", "done", "--title", "x", "--id", "c_second")
    assert dup.returncode == 1 and "already exists" in dup.stderr
    missing = admin(data, "card", "add", "--project", "p1", "--column", "nope", "--title", "x")
    assert missing.returncode == 1 and "column nope does not exist" in missing.stderr
    assert admin_json(data, "card", "list", "--project", "p1")["head_seq"] == 3


@pytest.mark.parametrize(
    "args, message",
    [
        (["project", "add", "bad id", "--name", "X"], 'project id "bad id" is not a valid id'),
        (["project", "add", "-x", "--name", "X"], None),
        (["member", "list", "--project", "p/1"], '--project "p/1" is not a valid id'),
        (["member", "add", "--project", "p1", "--user", "u1", "--name", "N", "--email", "n@example.com",
          "--username", "bad name"], "is not a valid username"),
        (["member", "add", "--project", "p1", "--user", "u1", "--name", "N", "--email", "no-at-sign",
          "--username", "n"], "is not a valid e-mail address"),
        (["member", "add", "--project", "p1", "--user", "u\x01", "--name", "N", "--email", "n@example.com",
          "--username", "n"], "is not a valid user id"),
        (["column", "add", "--project", "p1", "--id", "c" * 65, "--name", "C"], "is not a valid id"),
        (["card", "add", "--project", "p1", "--column", "c", "--title", "x" * 501], "1-500 bytes"),
        (["seed"], "give a seed FILE"),
    ],
)
def test_bad_input_exits_64_with_a_message(tmp_path, args, message):
    data = tmp_path / "data"
    result = admin(data, *args)
    assert result.returncode == 64, (result.stdout, result.stderr)
    assert "Error:" in result.stderr
    if message:
        assert message in result.stderr
    assert not data.exists()  # validated before the store was touched


def test_bad_seed_file_exits_64_and_changes_nothing(tmp_path):
    data = tmp_path / "data"
    bad = {"projects": [{"id": "p1", "name": "P", "members": [
        {"user_id": "u1", "name": "A", "email": "a@example.com", "username": "dup"},
        {"user_id": "u2", "name": "B", "email": "b@example.com", "username": "DUP"},
    ]}]}
    result = admin(data, "seed", "-", stdin=json.dumps(bad))
    assert result.returncode == 64
    assert "projects[0].members[1].username: DUP appears twice" in result.stderr
    assert admin(data, "seed", "-", stdin="{not json").returncode == 64
    typo = admin(data, "seed", "-", stdin='{"projects": [{"id": "p1", "name": "P", "colums": []}]}')
    assert typo.returncode == 64 and 'unknown key "colums"' in typo.stderr
    assert not data.exists()


@pytest.mark.parametrize("command", [
    ["member", "list", "--project", "nope"],
    ["column", "list", "--project", "nope"],
    ["card", "list", "--project", "nope"],
    ["card", "add", "--project", "nope", "--column", "c", "--title", "t"],
    ["member", "add", "--project", "nope", "--user", "u", "--name", "U", "--email", "u@example.com", "--username", "u"],
    ["project", "delete", "nope"],
])
def test_missing_project_exits_1(tmp_path, command):
    result = admin(tmp_path / "data", *command)
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "project nope does not exist" in result.stderr


def test_project_add_rename_and_delete(tmp_path):
    data = tmp_path / "data"
    assert "created project p1" in admin(data, "project", "add", "p1", "--name", "One").stdout
    assert "updated project p1" in admin(data, "project", "add", "p1", "--name", "Uno").stdout
    assert admin_json(data, "project", "list") == {"projects": [{"id": "p1", "name": "Uno"}]}
    assert admin(data, "project", "delete", "p1").returncode == 0
    assert admin_json(data, "project", "list") == {"projects": []}


def test_data_dir_from_environment_then_default(tmp_path):
    env = dict(os.environ, HUBBUB_DATA_DIR=str(tmp_path / "from-env"))
    run = lambda *args: subprocess.run(  # noqa: E731
        [HUBBUB, "admin", *args], capture_output=True, text=True, timeout=30, env=env, cwd=tmp_path)
    assert run("project", "add", "p1", "--name", "One").returncode == 0
    assert (tmp_path / "from-env" / "hubbub.sqlite3").exists()
    del env["HUBBUB_DATA_DIR"]
    assert run("project", "list", "--json").stdout.strip() == '{"projects":[]}'
    assert (tmp_path / "hubbub-data" / "hubbub.sqlite3").exists()


def test_waits_for_another_writer_and_reads_beside_a_reader(tmp_path):
    """Another process (here Python's sqlite3) on the same WAL database: an admin write
    waits for its write lock (busy timeout) instead of failing, and a long read
    transaction does not block admin at all."""
    data = tmp_path / "data"
    assert admin(data, "seed", "--demo").returncode == 0
    db = sqlite3.connect(data / "hubbub.sqlite3", isolation_level=None, check_same_thread=False)
    try:
        db.execute("BEGIN IMMEDIATE")
        releaser = threading.Timer(1.0, lambda: db.execute("COMMIT"))
        releaser.start()
        started = time.monotonic()
        added = admin(data, "card", "add", "--project", "p_demo", "--column", "col_doing", "--title", "Waited")
        releaser.join()
        assert added.returncode == 0, added.stderr
        assert time.monotonic() - started >= 0.9
        assert added.stdout.strip().endswith("seq 4")

        db.execute("BEGIN")
        db.execute("SELECT count(*) FROM cards").fetchall()
        during = admin(data, "card", "add", "--project", "p_demo", "--column", "col_doing", "--title", "Beside")
        assert during.returncode == 0, during.stderr
        db.execute("COMMIT")
    finally:
        db.close()
    assert admin_json(data, "card", "list", "--project", "p_demo")["head_seq"] == 5
