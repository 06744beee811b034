"""Performance attachments: 项目支出绩效自评表 (self-evaluation tables, tab and space layouts),
自评分析报告 (self-evaluation reports), 绩效评价报告 (evaluation reports) and Word-export tables."""
