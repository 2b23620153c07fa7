package i18n

// The reports page (/ui/reports) and its charts.
func init() {
	Register(map[string]string{
		"All programs":                        "全部项目",
		"Show report":                         "查看报表",
		"Download":                            "下载",
		"paid":                                "已支付",
		"%d claims":                           "%d 笔申请",
		"requested":                           "申请金额",
		"approved":                            "已批准",
		"Requested amount by status":          "按状态统计的申请金额",
		"Paid amount by region":               "按地区统计的已支付金额",
		"Budget use by day":                   "每日预算使用情况",
		"Day":                                 "日期",
		"Budget":                              "预算",
		"Committed":                           "已承付",
		"Available":                           "可用",
		"Requested":                           "申请金额",
		"No money has moved yet.":             "尚无资金变动。",
		"Timing":                              "办理时长",
		"Step":                                "环节",
		"Median (hours)":                      "中位数（小时）",
		"90th percentile (hours)":             "第 90 百分位（小时）",
		"Filing to approval":                  "提交至批准",
		"Filing to payment":                   "提交至支付",
		"Large":                               "大型",
		"Medium":                              "中型",
		"Small":                               "小型",
		"Micro":                               "微型",
		"No size class (individual business)": "无规模分类（个体工商户）",
		"Only finance, auditors and administrators may read reports.": "仅财务、审计和管理员可查看报表。",
		"No such program.":    "没有这个项目。",
		"No such report.":     "没有这个报表。",
		"Choose CSV or XLSX.": "请选择 CSV 或 XLSX。",
	})
}
