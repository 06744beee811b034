"""Tests for fiscal_dw.load.validate: the GX suites in expectations/ against small DuckDB warehouses.

A module-scoped fixture writes a consistent warehouse (marts schema, the columns of
docs/marts.md, a few rows taken from the Jinan and Qingdao 2023 final accounts); the
tests then tamper with copies of it and check that the report names the failing mart
and expectation. The last test builds the real warehouse with `fiscal-dw run` when that
command exists, and skips otherwise.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import pytest
import yaml

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

from fiscal_dw.load import validate as validate_module  # noqa: E402
from fiscal_dw.load.expectation_suites import build_expectation, load_suite  # noqa: E402
from fiscal_dw.load.validate import SUMMARY_FILE, main, validate_warehouse  # noqa: E402
from fiscal_dw.load.validation_results import ValidationReport, format_report  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SUITES = ROOT / "expectations"
MARTS_DOC = ROOT / "docs" / "marts.md"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


JINAN_SHA, QINGDAO_SHA, JINCHENG_SHA = _sha("jinan"), _sha("qingdao"), _sha("jincheng")
JINAN, QINGDAO, JINCHENG = JINAN_SHA[:16], QINGDAO_SHA[:16], JINCHENG_SHA[:16]


def _ratio(numerator: str, denominator: str) -> str:
    return str((Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.000001"), ROUND_HALF_UP))


MONEY = "decimal(18,2)"
RATIO = "decimal(18,6)"

DDL = f"""
create schema marts;
create table marts.dim_document (document_id varchar, document_kind varchar, department_name varchar,
  fiscal_year integer, source_file varchar, source_sha256 varchar, table_layout varchar);
create table marts.dim_function_subject (subject_code varchar, subject_name varchar, subject_level integer,
  class_code varchar, parent_code varchar);
create table marts.dim_economic_subject (economic_code varchar, economic_name varchar, economic_level integer,
  parent_code varchar, expense_category varchar);
create table marts.fct_income_expenditure_summary (document_id varchar, source_table varchar, side varchar,
  line_no integer, item_name varchar, amount_wan {MONEY}, general_budget_wan {MONEY}, gov_fund_wan {MONEY},
  state_capital_wan {MONEY}, source_line integer);
create table marts.fct_income_by_function (document_id varchar, subject_code varchar, subject_name varchar,
  is_total_row boolean, total_wan {MONEY}, fiscal_appropriation_wan {MONEY}, superior_subsidy_wan {MONEY},
  business_income_wan {MONEY}, operating_income_wan {MONEY}, affiliate_remittance_wan {MONEY},
  other_income_wan {MONEY}, source_line integer);
create table marts.fct_expenditure_by_function (document_id varchar, source_table varchar, subject_code varchar,
  subject_name varchar, is_total_row boolean, total_wan {MONEY}, basic_wan {MONEY}, project_wan {MONEY},
  remit_to_superior_wan {MONEY}, operating_wan {MONEY}, subsidy_to_affiliates_wan {MONEY}, source_line integer);
create table marts.fct_government_fund_by_function (document_id varchar, subject_code varchar,
  subject_name varchar, is_total_row boolean, carryover_begin_wan {MONEY}, income_wan {MONEY},
  expenditure_total_wan {MONEY}, expenditure_basic_wan {MONEY}, expenditure_project_wan {MONEY},
  carryover_end_wan {MONEY}, source_line integer);
create table marts.fct_basic_expenditure_by_economic (document_id varchar, economic_code varchar,
  economic_name varchar, expense_category varchar, economic_level integer, amount_wan {MONEY},
  source_line integer);
create table marts.fct_basic_expenditure_totals (document_id varchar, expense_category varchar,
  printed_label varchar, amount_wan {MONEY}, source_line integer);
create table marts.fct_three_public_expenses (document_id varchar, expense_item varchar, budget_wan {MONEY},
  actual_wan {MONEY}, execution_rate {RATIO}, source_line integer);
create table marts.fct_reconciliation_checks (check_id varchar, rule_id varchar, rule_family varchar,
  severity varchar, document_id varchar, scope varchar, lhs_label varchar, lhs_value {RATIO},
  rhs_label varchar, rhs_value {RATIO}, difference {RATIO}, tolerance {RATIO}, status varchar,
  lhs_source_lines varchar, rhs_source_lines varchar, rule_domain varchar, value_unit varchar);
create table marts.fct_department_year (document_id varchar, department_name varchar, fiscal_year integer,
  income_total_wan {MONEY}, expenditure_total_wan {MONEY}, grand_total_wan {MONEY}, basic_wan {MONEY},
  project_wan {MONEY}, basic_share {RATIO}, project_share {RATIO}, personnel_wan {MONEY}, public_wan {MONEY},
  three_public_budget_wan {MONEY}, three_public_actual_wan {MONEY}, three_public_execution_rate {RATIO},
  checks_total integer, checks_pass integer, checks_rounding integer, checks_fail integer,
  checks_not_evaluable integer);
create table marts.fct_project_self_evaluation (self_evaluation_id varchar, document_id varchar,
  source_table varchar, source_line integer, project_seq integer, project_name varchar,
  supervising_department varchar, implementing_unit varchar, amount_unit varchar, initial_budget_wan {RATIO},
  adjusted_budget_wan {RATIO}, executed_wan {RATIO}, current_year_initial_wan {RATIO},
  current_year_adjusted_wan {RATIO}, current_year_executed_wan {RATIO}, carryover_initial_wan {RATIO},
  carryover_adjusted_wan {RATIO}, carryover_executed_wan {RATIO}, other_initial_wan {RATIO},
  other_adjusted_wan {RATIO}, other_executed_wan {RATIO}, execution_rate_text varchar,
  execution_rate_printed {RATIO}, execution_rate_decimals integer, execution_rate_computed {RATIO},
  execution_rate_at_printed_precision {RATIO}, budget_weight {MONEY}, budget_score_printed {MONEY},
  budget_score_computed {MONEY}, indicator_count integer, indicator_weight_total {MONEY},
  indicator_score_total {MONEY}, total_score_printed {MONEY}, total_score_computed {MONEY},
  grade_printed varchar, grade_computed varchar, stated_execution_rate {RATIO}, stated_indicator_score {MONEY},
  stated_total_score {MONEY}, stated_source_line integer, copy_seq integer, first_copy_project_seq integer,
  execution_rate_status varchar, budget_score_status varchar, total_score_status varchar);
create table marts.fct_performance_indicators (indicator_id varchar, document_id varchar, source_table varchar,
  source_line integer, project_seq integer, indicator_seq integer, level1 varchar, level2 varchar,
  indicator_name varchar, target_text varchar, adjusted_target_text varchar, target_operator varchar,
  target_value {RATIO}, target_unit varchar, actual_text varchar, actual_operator varchar, actual_value {RATIO},
  actual_unit varchar, direction varchar, weight {MONEY}, score_printed {MONEY}, score_computed {MONEY},
  score_basis varchar, score_difference {MONEY}, score_status varchar, deviation_note varchar);
create table marts.fct_evaluation_reports (evaluation_report_id varchar, document_id varchar, report_seq integer,
  source_line integer, title varchar, project_name varchar, evaluator varchar, budget_text varchar,
  budget_wan {RATIO}, total_score {MONEY}, total_score_line integer, grade_printed varchar, grade varchar,
  grade_computed varchar, grade_line integer, dimension_count integer, dimension_presentation varchar,
  dimension_points_total {MONEY}, dimension_max_total {MONEY}, breakdown_status varchar);
create table marts.fct_evaluation_scores (evaluation_score_id varchar, document_id varchar, report_seq integer,
  dimension_seq integer, dimension varchar, presentation varchar, max_score_text varchar, max_score {MONEY},
  score_text varchar, score {MONEY}, breakdown_points {MONEY}, source_line integer);
create table marts.fct_budget_execution_lines (budget_line_id varchar, document_id varchar, source_table varchar,
  source_line integer, row_seq integer, printed_seq varchar, row_kind varchar, area varchar, unit_name varchar,
  line_name varchar, amount_unit varchar, initial_budget_wan {RATIO}, budget_wan {RATIO}, executed_wan {RATIO},
  execution_rate_text varchar, execution_rate_printed {RATIO}, execution_rate_decimals integer,
  execution_rate_computed {RATIO}, execution_rate_status varchar, spend_status varchar, note varchar);
create table marts.fct_narrative_figures (document_id varchar, figure_seq integer, source_line integer,
  section varchar, metric_key varchar, metric_family varchar, metric_subject varchar, metric_measure varchar,
  subject_code varchar, project_no integer, value {RATIO}, value_decimals integer, unit varchar,
  value_wan {RATIO}, value_ratio {RATIO}, value_text varchar, sentence varchar, table_rule_id varchar,
  table_label varchar, table_value {RATIO}, table_source_lines varchar, table_status varchar);
create table marts.fct_table_inventory (table_inventory_id varchar, document_id varchar, table_kind varchar,
  source_table varchar, table_label varchar, title varchar, status varchar, note varchar, row_count integer,
  source_page integer, source_line integer);
"""

J, Q, C = f"'{JINAN}'", f"'{QINGDAO}'", f"'{JINCHENG}'"

ROWS = f"""
insert into marts.dim_document values
  ({J}, 'final_accounts', '济南市大数据局', 2023, 'jinan-bigdata-bureau-2023-final-accounts.txt', '{JINAN_SHA}', 'tab'),
  ({Q}, 'final_accounts', '青岛市大数据发展管理局', 2023, 'qingdao-bigdata-bureau-2023-final-accounts.txt', '{QINGDAO_SHA}', 'space'),
  ({C}, 'project_self_evaluation', '晋城市大数据应用局', 2022, 'jincheng-bigdata-bureau-2022-project-self-evaluations.txt', '{JINCHENG_SHA}', null);

insert into marts.dim_function_subject values
  ('201', '一般公共服务支出', 1, '201', null),
  ('20103', '政府办公厅（室）及相关机构事务', 2, '201', '201'),
  ('2010301', '行政运行', 3, '201', '20103'),
  ('208', '社会保障和就业支出', 1, '208', null),
  ('20805', '行政事业单位养老支出', 2, '208', '208'),
  ('2080505', '机关事业单位基本养老保险缴费支出', 3, '208', '20805');

insert into marts.dim_economic_subject values
  ('301', '工资福利支出', 1, null, 'personnel'),
  ('30101', '基本工资', 2, '301', 'personnel'),
  ('303', '对个人和家庭的补助', 1, null, 'personnel'),
  ('302', '商品和服务支出', 1, null, 'public'),
  ('30217', '公务接待费', 2, '302', 'public');

insert into marts.fct_income_expenditure_summary values
  ({J}, '公开01', 'income', 1, '一、一般公共预算财政拨款收入', 15244.45, null, null, null, 119),
  ({J}, '公开01', 'income', 30, '', null, null, null, null, 148),
  ({J}, '公开01', 'expenditure', 32, '一、一般公共服务支出', 10314.37, null, null, null, 119),
  ({J}, '公开04', 'income', 1, '一、一般公共预算财政拨款', 15244.45, null, null, null, 243),
  ({J}, '公开04', 'expenditure', 33, '一、一般公共服务支出', 10314.37, 10314.37, 0.00, 0.00, 243),
  ({J}, '公开04', 'expenditure', 64, '总计', 15244.45, 15244.45, 0.00, 0.00, 278);

insert into marts.fct_income_by_function values
  ({J}, null, '合计', true, 15244.45, 15244.45, 0, 0, 0, 0, 0, 163),
  ({J}, '201', '一般公共服务支出', false, 10314.37, 10314.37, 0, 0, 0, 0, 0, 164),
  ({Q}, null, '合计', true, 12927.35, 12926.72, 0, 0, 0, 0, 0.63, 253);

insert into marts.fct_expenditure_by_function values
  ({J}, '公开03', null, '合计', true, 15244.45, 2654.39, 12590.06, 0, 0, 0, 203),
  ({J}, '公开03', '201', '一般公共服务支出', false, 10314.37, 2083.08, 8231.30, 0, 0, 0, 204),
  ({J}, '公开03', '20103', '政府办公厅（室）及相关机构事务', false, 3226.21, 2083.08, 1143.14, 0, 0, 0, 205),
  ({J}, '公开05', '201', '一般公共服务支出', false, 10314.37, 2083.08, 8231.30, null, null, null, 293),
  ({J}, '公开05', '2080505', '机关事业单位基本养老保险缴费支出', false, 200.78, 200.76, 0.00, null, null, null, 300),
  ({Q}, '公开08', null, '合计', true, 0.00, 0.00, 0.00, null, null, null, 663);

insert into marts.fct_basic_expenditure_by_economic values
  ({J}, '301', '工资福利支出', 'personnel', 1, 2398.36, 331),
  ({J}, '30101', '基本工资', 'personnel', 2, 500.12, 332),
  ({J}, '302', '商品和服务支出', 'public', 1, 149.61, 331),
  ({J}, '30217', '公务接待费', 'public', 2, 1.23, 340);

insert into marts.fct_basic_expenditure_totals values
  ({J}, 'personnel', '人员经费合计', 2503.40, 368),
  ({J}, 'public', '公用经费合计', 150.98, 368);

insert into marts.fct_three_public_expenses values
  ({J}, 'total', 2.54, 2.54, 1.000000, 411),
  ({J}, 'overseas_travel', 0.00, 0.00, null, 411),
  ({J}, 'vehicles', 1.31, 1.31, 1.000000, 411),
  ({J}, 'vehicle_purchase', 0.00, 0.00, null, 411),
  ({J}, 'vehicle_operation', 1.31, 1.31, 1.000000, 411),
  ({J}, 'official_reception', 1.23, 1.23, 1.000000, 411),
  ({Q}, 'total', 5.50, 5.50, 1.000000, 686),
  ({Q}, 'vehicles', 2.50, 1.00, {_ratio("1.00", "2.50")}, 686),
  ({Q}, 'official_reception', 3.00, 4.50, {_ratio("4.50", "3.00")}, 686),
  ({Q}, 'vehicle_operation', 3.00, 1.00, {_ratio("1.00", "3.00")}, 686);

insert into marts.fct_reconciliation_checks values
  ('A1:{JINAN}:公开01', 'A1', 'intra_table', 'error', {J}, '公开01', '本年收入合计', 15244.45, '本年支出合计', 15244.45, 0.00, 0.02, 'pass', '145', '145', 'standard_tables', '万元'),
  ('A9:{JINAN}:201', 'A9', 'intra_table', 'error', {J}, '201', '合计', 10314.37, '基本+项目', 10314.38, -0.01, 0.02, 'rounding', '204', '204', 'standard_tables', '万元'),
  ('A9:{JINAN}:2080505', 'A9', 'intra_table', 'error', {J}, '2080505', '合计', 200.78, '基本+项目', 200.76, 0.02, 0.02, 'rounding', '300', '300', 'standard_tables', '万元'),
  ('B8:{JINAN}:doc', 'B8', 'narrative', 'warning', {J}, 'document', '年初预算合计', 16040.49, 'Σ项 年初预算', 16199.88, -159.39, 0.02, 'fail', '510', '512-538', 'standard_tables', '万元'),
  ('C4:{JINAN}:30212', 'C4', 'three_public', 'warning', {J}, '公开09:actual:overseas_travel', '公开06 30212', 2.00, '公开09 (printed blank)', null, null, 0.005, 'not_evaluable', '342', '411', 'standard_tables', '万元');

insert into marts.fct_department_year values
  ({J}, '济南市大数据局', 2023, 15244.45, 15244.45, 15244.45, 2654.39, 12590.06,
   {_ratio("2654.39", "15244.45")}, {_ratio("12590.06", "15244.45")}, 2503.40, 150.98, 2.54, 2.54, 1.000000, 5, 1, 2, 1, 1),
  ({Q}, '青岛市大数据发展管理局', 2023, 12927.35, 12926.73, 12927.35, 2003.07, 10923.66,
   {_ratio("2003.07", "12926.73")}, {_ratio("10923.66", "12926.73")}, 1895.34, 107.73, 5.50, 5.50, 1.000000, 0, 0, 0, 0, 0);

-- Jinan T2 (79.8 / 80 × 10 = 9.975 -> 9.98); Jincheng R8 (A = 0: rate and score undefined)
insert into marts.fct_project_self_evaluation values
  ('se1', {J}, '项目支出绩效自评表', 781, 2, '公共数据汇聚治理项目', '济南市大数据局', '济南市大数据局', '万元',
   80, 80, 79.8, 0, 0, 0, 80, 80, 79.8, 0, 0, 0, '99.75%', 0.9975, 4, 0.9975, 0.9975, 10, 9.98, 9.98,
   12, 90, 90, 99.98, 99.98, null, '优', null, null, null, null, 1, 2, 'pass', 'pass', 'pass'),
  ('se2', {C}, '项目支出绩效自评分析报告', 799, 8, '晋城市电子政务外网提速扩能试点项目', '晋城市大数据应用局',
   '晋城市大数据应用局', '元', 400, 0, 0, 400, 0, 0, null, null, null, null, null, null, '0', 0, 0, null, null,
   10, 0, null, 6, 90, 90, null, 90, '优', '优', 0, 90, 90, 875, 1, 8, null, null, null);

-- Qingdao self-evaluation #1: 2 of ≥3 scored 5.4 where 2/3 × 8 = 5.33 (a reported finding)
insert into marts.fct_performance_indicators values
  ('pi1', {Q}, '项目支出绩效自评表', 5766, 1, 2, '产出指标', '数量指标', '受奖补数据中心数量', '≥3个', null, '≥', 3, '个',
   '2', null, 2, null, 'positive', 8, 5.4, 5.33, 'positive_ratio', 0.07, 'fail', '全市符合奖补条件的数据中心数量减少。'),
  ('pi2', {Q}, '项目支出绩效自评表', 8036, 15, 3, '产出指标', '数量指标', '云主机采购数', '≥3200台', null, '≥', 3200, '台',
   '2858', null, 2858, null, 'positive', 6.66, 5.95, 5.95, 'positive_ratio', 0.00, 'pass', '疫情相关系统云主机停用'),
  ('pi3', {Q}, '项目支出绩效自评表', 8053, 15, 6, '产出指标', '时效指标', '系统故障修复响应时间', '≤4小时', null, '≤', 4,
   '小时', '0小时', null, 0, '小时', 'negative', 6.67, 6.67, null, 'zero_denominator', null, null, null),
  ('pi4', {J}, '项目支出绩效自评表', 767, 1, 19, '产出指标', '时效指标', '开展宣传及时性', '及时', null, null, null, null,
   '及时', null, null, null, 'qualitative', 3, 3, null, 'qualitative', null, null, null);

-- Jinan R1 (score table adds up) and R4 (prose 20 + 30 + 43 = 93 vs 98.57: a reported finding)
insert into marts.fct_evaluation_reports values
  ('er1', {J}, 1, 1244, '2023年度济南政务云计算中心云服务项目绩效评价报告', '2023年度济南政务云计算中心云服务项目',
   '山东金信达会计师事务所有限公司', '6770 万元', 6770, 92.89, 1436, '优', '优', '优', 1436, 4, 'table', 92.89, 100, 'pass'),
  ('er4', {J}, 4, 3163, '2023年度原莱芜市城区重点公共场所免费无线项目绩效评价报告', null, '济南市信息中心', '79.61万元',
   79.61, 98.57, 3340, '优秀', '优', '优', 3340, 3, 'prose', 93, null, 'fail');

insert into marts.fct_evaluation_scores values
  ('es1', {J}, 1, 1, '项目决策', 'table', '14.00%', 14, '13', 13, 13, 1445),
  ('es2', {J}, 1, 2, '项目基础管理', 'table', '26.00%', 26, '22', 22, 22, 1448),
  ('es3', {J}, 1, 3, '项目绩效', 'table', '40.00%', 40, '38.5', 38.5, 38.5, 1452),
  ('es4', {J}, 1, 4, '项目效益', 'table', '20.00%', 20, '19.39', 19.39, 19.39, 1457),
  ('es5', {J}, 4, 1, '项目决策', 'prose', '20', null, null, null, 20, 3342);

-- Qingdao 2023 表1 row 51 spends 749,000 of 748,970 元 (printed 100.0%: a reported overspend)
insert into marts.fct_budget_execution_lines values
  ('bl1', {Q}, '表1', 3094, 51, '51', 'item', null, '青岛市人民政府国有资产监督管理委员会', null, '元',
   74.897, 74.897, 74.9, '100.0%', 1.000, 3, {_ratio("74.9", "74.897")}, 'pass', 'fail', null),
  ('bl2', {Q}, '表1', 3043, 33, '33', 'item', null, '青岛市发展和改革委员会', null, '元',
   46, 0, 0, '0%', 0, 2, null, null, 'pass', null),
  ('bl3', {Q}, '表1', 2976, 1, '1', 'item', null, '中国共产主义青年团青岛市委员会', null, '元',
   5.1, 5.1, 4.8, '94.12%', 0.9412, 4, {_ratio("4.8", "5.1")}, 'pass', 'pass', null);

-- Jinan / Qingdao 2023 narratives: 67.67 % printed for 10,314.37 / 15,244.45 = 67.66 % (rounding),
-- a 年初预算 no table prints, an unkeyed count, a rate of 决算 over the narrative's 年初预算
insert into marts.fct_narrative_figures values
  ({J}, 1, 421, '一、收入支出决算总体情况说明', 'total.income_expenditure.amount', 'total', 'income_expenditure',
   'amount', null, null, 15244.45, 2, '万元', 15244.45, null, '15,244.45 万元', '2023 年度收、支总计均为 15,244.45 万元。',
   'narr_totals', '公开01 总计', 15244.45, '149', 'pass'),
  ({J}, 38, 502, '五、一般公共预算财政拨款支出决算情况说明/（二）一般公共预算财政拨款支出决算结构情况',
   'general_budget.class.201.share', 'general_budget', 'class.201', 'share', '201', null, 67.67, 2, '%', null, 0.6767,
   '67.67%', '一般公共服务（类）支出 10,314.37 万元，占 67.67%；',
   'narr_class_shares', '公开05 201 一般公共服务支出 [total] / 公开05 合计 [total] at 4 decimals', 0.6766, '292,293',
   'rounding'),
  ({J}, 45, 510, '五、一般公共预算财政拨款支出决算情况说明/（三）一般公共预算财政拨款支出决算具体情况',
   'general_budget.initial_budget.total', 'general_budget', 'initial_budget', 'total', null, null, 16040.49, 2, '万元',
   16040.49, null, '16,040.49 万元', '年初预算为 16,040.49 万元，', null, null, null, null, null),
  ({J}, 64, 522, '五、一般公共预算财政拨款支出决算情况说明/（三）一般公共预算财政拨款支出决算具体情况', null, null, null,
   null, null, null, 2, 0, '名', null, null, '2名', '决算数大于年初预算数的主要原因是2023年新增退休人员2名。', null, null, null,
   null, null),
  ({J}, 82, 538, '五、一般公共预算财政拨款支出决算情况说明/（三）一般公共预算财政拨款支出决算具体情况',
   'function.2150599.completion_rate', 'function', '2150599', 'completion_rate', '2150599', null, 36.91, 2, '%', null,
   0.3691, '36.91%', '完成年初预算的36.91%。', 'narr_completion_rates',
   '公开05 2150599 其他工业和信息产业监管支出 [total] / 情况说明 年初预算 11809 at 4 decimals', 0.3691, '318,536', 'pass'),
  ({Q}, 58, 830, '六、一般公共预算财政拨款基本支出决算情况', 'basic.total.amount', 'basic', 'total', 'amount', null, null,
   2003.06, 2, '万元', 2003.06, null, '2,003.06万\n元', '基本支出决算2,003.06万元，', 'narr_basic_amounts',
   '公开05 合计 [basic]', 2003.06, '498', 'pass'),
  ({Q}, 120, 972, '十一、预算绩效情况说明/（二）市级预算项目绩效自评结果', 'performance.project.1.score', 'performance',
   'project.1', 'score', null, 1, 99.98, 2, '分', null, null, '99.98分', '项目自评得分为99.98分。', null, null, null, null,
   null);
insert into marts.fct_table_inventory values
  ('ti1', {J}, 'income_expenditure_summary', '公开01', '公开01', '收入支出决算总表', 'extracted', null, 62, null, 112),
  ('ti2', {J}, 'government_fund', '公开07', '公开07', '政府性基金预算财政拨款收入支出决算表', 'declared_empty',
   '本表无数据', 1, null, 380),
  ('ti3', {Q}, 'state_capital', '公开08', null, null, 'missing', null, 0, null, null);
"""

# (SQL that breaks one rule, mart, expectation type, column(s) named in the report). Only
# rules GX owns: keys, not-null columns, accepted values and the row identities that dbt
# tests are not in the suites (docs/quality_checks.md; test_no_expectation_restates_a_dbt_test).
TAMPERS = [
    (f"update marts.fct_expenditure_by_function set subsidy_to_affiliates_wan = 0 "
     f"where source_table = '公开05' and subject_code = '201'",
     "fct_expenditure_by_function", "expect_column_values_to_be_null", "subsidy_to_affiliates_wan"),
    (f"update marts.dim_document set source_sha256 = '{_sha('jincheng, edited')}' where document_id = {C}",
     "dim_document", "expect_column_pair_values_to_be_equal", ("document_id", "sha256_prefix")),
    (f"update marts.fct_department_year set basic_share = 1.5 where document_id = {J}",
     "fct_department_year", "expect_column_values_to_be_between", "basic_share"),
    (f"update marts.fct_department_year set grand_total_wan = 12000.00 where document_id = {Q}",
     "fct_department_year", "expect_column_values_to_be_between", "grand_minus_income_wan"),
    # a check with an unknown side classified fail (not_evaluable is its status)
    ("update marts.fct_reconciliation_checks set status = 'fail' where rule_id = 'C4'",
     "fct_reconciliation_checks", "expect_column_values_to_not_be_null", "difference"),
    ("update marts.dim_function_subject set subject_code = '20x03' where subject_code = '20103'",
     "dim_function_subject", "expect_column_values_to_match_regex", "subject_code"),
    (f"update marts.fct_three_public_expenses set execution_rate = 0 "
     f"where document_id = {J} and expense_item = 'overseas_travel'",
     "fct_three_public_expenses", "expect_column_values_to_be_null", "execution_rate"),
    (f"update marts.fct_three_public_expenses set execution_rate = 0.9 "
     f"where document_id = {Q} and expense_item = 'total'",
     "fct_three_public_expenses", "expect_column_values_to_be_between", "execution_rate_gap"),
    (f"update marts.fct_three_public_expenses set execution_rate = null "
     f"where document_id = {Q} and expense_item = 'vehicles'",
     "fct_three_public_expenses", "expect_column_values_to_not_be_null", "execution_rate"),
    ("update marts.fct_reconciliation_checks set status = 'pass' where rule_id = 'B8'",
     "fct_reconciliation_checks", "expect_column_values_to_be_between", "excess_over_tolerance"),
    ("update marts.fct_reconciliation_checks set rhs_value = 15244.46 where rule_id = 'A1'",
     "fct_reconciliation_checks", "expect_column_values_to_be_between", "difference_gap"),
    (f"update marts.fct_income_by_function set subject_code = '201' where is_total_row and document_id = {Q}",
     "fct_income_by_function", "expect_column_values_to_be_null", "subject_code"),
    ("update marts.fct_basic_expenditure_by_economic set expense_category = 'public' where economic_code = '30101'",
     "fct_basic_expenditure_by_economic", "expect_column_values_to_be_in_set", "expense_category"),
    ("update marts.fct_income_expenditure_summary set amount_wan = -1 where line_no = 32",
     "fct_income_expenditure_summary", "expect_column_values_to_be_between", "amount_wan"),
    ("update marts.fct_performance_indicators set score_status = 'pass' where indicator_id = 'pi1'",
     "fct_performance_indicators", "expect_column_values_to_be_between", "score_difference_abs"),
    ("update marts.fct_project_self_evaluation set execution_rate_printed = 1.6 where self_evaluation_id = 'se1'",
     "fct_project_self_evaluation", "expect_column_values_to_be_between", "execution_rate_printed"),
    ("update marts.fct_budget_execution_lines set spend_status = 'pass' where budget_line_id = 'bl1'",
     "fct_budget_execution_lines", "expect_column_values_to_be_between", "overspend_wan"),
    ("update marts.fct_evaluation_scores set score = 15 where evaluation_score_id = 'es1'",
     "fct_evaluation_scores", "expect_column_values_to_be_between", "score_over_max"),
    (f"update marts.fct_narrative_figures set table_status = 'pass' where document_id = {J} and figure_seq = 38",
     "fct_narrative_figures", "expect_column_values_to_be_between", "table_gap_abs"),
    (f"update marts.fct_narrative_figures set value_ratio = 67.67 where document_id = {J} and figure_seq = 38",
     "fct_narrative_figures", "expect_column_values_to_be_between", "value_ratio_gap"),
    ("update marts.fct_table_inventory set note = null where table_inventory_id = 'ti2'",
     "fct_table_inventory", "expect_column_values_to_not_be_null", "note"),
]


def _build(path: Path, *extra_sql: str) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute(DDL)
        con.execute(ROWS)
        for sql in extra_sql:
            con.execute(sql)
    finally:
        con.close()
    return path


def _failures(report: ValidationReport, mart: str) -> list[tuple[str, tuple[str, ...]]]:
    suite = next(s for s in report.suites if s.mart == mart)
    return [(f.expectation_type, f.columns) for f in suite.failed]


def _documented_marts() -> set[str]:
    return set(re.findall(r"^\| `([a-z_]+)` \|", MARTS_DOC.read_text(encoding="utf-8"), re.MULTILINE))


@pytest.fixture(scope="module")
def good_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("good") / "fiscal.duckdb")


@pytest.fixture(scope="module")
def good_report(good_warehouse: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[ValidationReport, Path]:
    results = tmp_path_factory.mktemp("results")
    return validate_warehouse(good_warehouse, SUITES, results), results


def test_every_documented_mart_has_a_well_formed_suite() -> None:
    suites = {path.stem: load_suite(path) for path in sorted(SUITES.glob("*.json"))}
    assert set(suites) == _documented_marts()
    for name, suite in suites.items():
        assert suite.mart == name, f"{name}.json declares mart {suite.mart}"
        for spec in suite.expectations:
            assert spec.why, f"{name}: {spec.type} {spec.kwargs} has no meta.why"
            build_expectation(spec)  # the type exists and the kwargs are valid


def _dbt_column_assertions() -> dict[tuple[str, str], set[str]]:
    """(model, column) -> its constraints and unconditional data tests, from models/**/*.yml."""
    found: dict[tuple[str, str], set[str]] = {}
    for path in sorted(ROOT.glob("models/**/*.yml")):
        for model in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("models") or []:
            for column in model.get("columns") or []:
                names = found.setdefault((model["name"], column["name"]), set())
                names.update(constraint["type"] for constraint in column.get("constraints") or [])
                for test in column.get("data_tests") or []:
                    name, body = (test, None) if isinstance(test, str) else next(iter(test.items()))
                    if not ((body or {}).get("config") or {}).get("where"):
                        names.add(name)
    return found


def test_no_expectation_restates_a_dbt_test() -> None:
    """Each check lives in one place (docs/quality_checks.md): contracts (the column set), keys,
    not-null columns and accepted values are dbt's; the suites keep what only GX checks."""
    dbt = _dbt_column_assertions()
    assert dbt, "no dbt column tests found under models/"
    restated = []
    for path in sorted(SUITES.glob("*.json")) + sorted(SUITES.glob("history/*.json")):
        suite = load_suite(path)
        for spec in suite.expectations:
            tests = dbt.get((suite.mart, spec.kwargs.get("column")), set())
            if (spec.type in ("expect_table_columns_to_match_set", "expect_column_values_to_be_unique",
                              "expect_compound_columns_to_be_unique")
                    or spec.type == "expect_column_values_to_not_be_null" and tests & {"not_null", "primary_key"}
                    or spec.type == "expect_column_values_to_be_in_set" and spec.where is None
                    and "accepted_values" in tests):
                restated.append(f"{path.name}: {spec.type} {spec.kwargs}")
    assert not restated, "restated dbt tests:\n" + "\n".join(restated)


def test_consistent_warehouse_passes(good_report: tuple[ValidationReport, Path]) -> None:
    report, _ = good_report
    assert report.success, format_report(report)
    assert {s.mart for s in report.suites} == _documented_marts()
    for suite in report.suites:
        assert suite.evaluated > 0 and not suite.errors and not suite.failed
    text = format_report(report)
    assert "✗" not in text and text.count("✓") == len(report.suites)


def test_results_are_written_as_json(good_report: tuple[ValidationReport, Path]) -> None:
    report, results = good_report
    summary = json.loads((results / SUMMARY_FILE).read_text(encoding="utf-8"))
    assert summary["success"] is True and len(summary["suites"]) == len(report.suites)
    gx_result = json.loads((results / "fct_expenditure_by_function.json").read_text(encoding="utf-8"))
    assert gx_result["success"] is True
    assert gx_result["statistics"]["evaluated_expectations"] == next(
        s.evaluated for s in report.suites if s.mart == "fct_expenditure_by_function"
    )


def test_tampered_warehouse_fails_and_names_each_broken_rule(tmp_path: Path) -> None:
    warehouse = _build(tmp_path / "bad.duckdb", *(sql for sql, *_ in TAMPERS))
    report = validate_warehouse(warehouse, SUITES)
    assert not report.success
    text = format_report(report)
    for _, mart, expectation_type, column in TAMPERS:
        columns = column if isinstance(column, tuple) else (column,)
        assert (expectation_type, columns) in _failures(report, mart), f"{mart}/{column} not caught:\n{text}"
        assert f"✗ {mart}" in text
    assert "✓ dim_economic_subject" in text  # untouched marts still pass
    # the failure line names the expectation, the columns and the suite's reason
    assert "expect_column_pair_values_to_be_equal [document_id, sha256_prefix]: 1 unexpected" in text
    assert "why: document_id must be derived from the content hash, not the file name" in text


def test_marts_larger_than_a_batch_are_validated_in_parts_with_the_same_outcome(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    duplicate = "insert into marts.dim_function_subject select * from marts.dim_function_subject where subject_code = '201'"
    warehouse = _build(tmp_path / "bad.duckdb", *(sql for sql, *_ in TAMPERS), duplicate)
    suites = tmp_path / "suites"  # row-wise tampers, derived columns, a whole-column row count
    suites.mkdir()
    for mart in ("fct_three_public_expenses", "dim_document", "fct_department_year"):
        shutil.copy(SUITES / f"{mart}.json", suites)
    # keys are dbt's, so no committed suite has a uniqueness expectation; validate.py still
    # runs any whole-column expectation over all rows, which this one (a duplicate key) checks
    (suites / "key.json").write_text(json.dumps({"mart": "dim_function_subject", "expectations": [
        {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "subject_code"},
         "meta": {"why": "test of a whole-column expectation"}}]}), encoding="utf-8")
    whole = validate_warehouse(warehouse, suites)
    monkeypatch.setattr(validate_module, "BATCH_ROWS", 3)
    parts = validate_warehouse(warehouse, suites, tmp_path / "results", data_docs_dir=tmp_path / "docs")

    def outcome(report: ValidationReport) -> dict:
        return {s.suite_file: (s.success, s.evaluated, s.row_count, s.errors,
                         sorted((f.expectation_type, f.columns, f.where or "", f.unexpected_count or 0)
                                for f in s.failed)) for s in report.suites}

    assert outcome(parts) == outcome(whole)
    assert outcome(whole)["key.json"][4] == [("expect_column_values_to_be_unique", ("subject_code",), "", 2)]
    split = json.loads((tmp_path / "results" / "fct_three_public_expenses.json").read_text(encoding="utf-8"))
    assert len(split["parts"]) > 3 and split["success"] is False
    assert parts.data_docs and Path(parts.data_docs).is_file()


def test_missing_mart_is_a_failure_not_a_crash(tmp_path: Path) -> None:
    warehouse = _build(tmp_path / "partial.duckdb", "drop table marts.fct_basic_expenditure_totals")
    report = validate_warehouse(warehouse, SUITES)
    assert not report.success
    suite = next(s for s in report.suites if s.mart == "fct_basic_expenditure_totals")
    assert not suite.success and suite.evaluated == 0
    assert "marts.fct_basic_expenditure_totals does not exist" in suite.errors[0]
    assert sum(not s.success for s in report.suites) == 1
    assert "! mart marts.fct_basic_expenditure_totals does not exist" in format_report(report)


def test_malformed_suites_are_reported(good_warehouse: Path, tmp_path: Path) -> None:
    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "broken.json").write_text("{not json", encoding="utf-8")
    (suites / "dim_document.json").write_text(
        json.dumps(
            {
                "mart": "dim_document",
                "derived_columns": {"bad": "no_such_column + 1"},
                "expectations": [
                    {"type": "expect_column_values_to_be_frobnicated", "kwargs": {"column": "document_id"}},
                    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "bad"}},
                    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "document_id"}},
                ],
            }
        ),
        encoding="utf-8",
    )
    report = validate_warehouse(good_warehouse, suites)
    assert not report.success
    broken, dim = report.suites
    assert broken.mart == "broken" and "cannot read suite" in broken.errors[0]
    assert "derived column bad" in dim.errors[0]
    observed = {f.expectation_type: f.observed for f in dim.failed}
    assert "unknown expectation type" in observed["expect_column_values_to_be_frobnicated"]
    assert "does not exist" in observed["expect_column_values_to_not_be_null"]
    assert dim.evaluated == 3 and len(dim.failed) == 2


def test_empty_marts_pass(tmp_path: Path) -> None:
    warehouse = _build(tmp_path / "empty.duckdb", "delete from marts.fct_government_fund_by_function")
    suites = tmp_path / "suites"
    suites.mkdir()
    shutil.copy(SUITES / "fct_government_fund_by_function.json", suites)
    report = validate_warehouse(warehouse, suites)
    assert report.success, format_report(report)
    assert report.suites[0].row_count == 0


def test_validates_while_this_process_holds_the_warehouse_open(good_warehouse: Path, tmp_path: Path) -> None:
    """`fiscal-dw run` validates right after an in-process dbt build that keeps a connection open."""
    suites = tmp_path / "suites"
    suites.mkdir()
    shutil.copy(SUITES / "dim_document.json", suites)
    writer = duckdb.connect(str(good_warehouse))  # read-write, as dbt-duckdb holds it
    try:
        report = validate_warehouse(good_warehouse, suites)
    finally:
        writer.close()
    assert report.success, format_report(report)


def test_cli_exit_codes(good_warehouse: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--warehouse", str(good_warehouse), "--suites", str(SUITES)]) == 0
    assert "✓ fct_department_year" in capsys.readouterr().out

    bad = _build(tmp_path / "bad.duckdb", TAMPERS[0][0])
    results = tmp_path / "results"
    assert main(["--warehouse", str(bad), "--suites", str(SUITES), "--results", str(results)]) == 1
    assert "✗ fct_expenditure_by_function" in capsys.readouterr().out
    assert (results / SUMMARY_FILE).is_file() and (results / "dim_document.json").is_file()

    assert main(["--warehouse", str(tmp_path / "nope.duckdb")]) == 2
    assert "warehouse not found" in capsys.readouterr().err
    assert main(["--warehouse", str(good_warehouse), "--suites", str(tmp_path / "none")]) == 2
    assert main([]) == 2  # --warehouse is required


def test_real_warehouse(real_load, tmp_path: Path) -> None:
    """The real warehouse built by `fiscal-dw run` (the session's load, conftest), validated
    with the committed suites.

    With ../shared/documents beside the project the run extracts them into build/raw/
    (never touching seeds/raw); otherwise it builds from the committed seeds. A run that
    builds no warehouse, times out or is not installed fails this test: it is the project's
    own failure, never a reason to skip.
    """
    warehouse = real_load.warehouse
    assert "dbt build failed" not in real_load.stdout and "error:" not in real_load.stdout, real_load.output
    assert real_load.returncode in (0, 1), real_load.output  # 1: the documents contradict themselves
    report = validate_warehouse(warehouse, SUITES, tmp_path / "results")
    missing = [s.mart for s in report.suites if s.row_count is None]
    assert not missing, f"marts missing from the real warehouse: {missing}\n{format_report(report)}"
    assert report.success, format_report(report)
