"""A narrative 类/款/项 path resolved to the table's 项 code by name when the printed 项 name
is a slip (words transposed, or the 款's own name in the 项 slot), never by amount; a name
that fits no 项 of the 款 stays unresolved. Names invented here, not read from a document."""
from __future__ import annotations

from fiscal_dw.extract.final_accounts.narrative_keys import SubjectNames

TABLE = [("205", "教育支出"), ("20502", "普通教育"), ("2050201", "学前教育"), ("2050202", "小学教育"),
         ("20508", "进修及培训"), ("2050803", "培训支出"),
         ("212", "城乡社区支出"), ("21201", "城乡社区管理事务"), ("2120101", "行政运行"),
         ("2120199", "其他城乡社区管理事务支出")]


def test_a_printed_name_of_the_table_resolves_as_before() -> None:
    names = SubjectNames(TABLE)
    assert names.function_code("教育支出", "普通教育", "小学教育") == "2050202"


def test_transposed_words_resolve_to_the_same_characters() -> None:
    names = SubjectNames(TABLE)
    assert names.function_code("城乡社区支出", "城乡社区管理事务", "其他社区城乡管理事务支出") == "2120199"
    # characters that are not the same multiset are no transposition
    assert names.function_code("城乡社区支出", "城乡社区管理事务", "其他社区管理事务支出") == ""


def test_the_kuan_name_in_the_xiang_slot_is_the_one_xiang_no_other_path_names() -> None:
    names = SubjectNames(TABLE)
    # 普通教育 has two 项: with neither named elsewhere the slip cannot be bound
    assert names.function_code("教育支出", "普通教育", "普通教育") == ""
    names.named = {"2050202"}
    assert names.function_code("教育支出", "普通教育", "普通教育") == "2050201"
    # a 款 of one 项 binds it whatever the rest of the narrative names
    assert SubjectNames(TABLE).function_code("教育支出", "进修及培训", "进修及培训") == "2050803"


def test_a_name_of_no_xiang_of_the_kuan_stays_unresolved() -> None:
    names = SubjectNames(TABLE)
    names.named = {"2050202"}
    assert names.function_code("教育支出", "普通教育", "高中教育") == ""
