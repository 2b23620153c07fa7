package i18n

// The Chinese of the API messages added with the console's endpoints: the claim search, the
// audit log and dossier, the reports.
func init() {
	Register(map[string]string{
		"cannot be combined with search parameters; use page":                "不能与搜索参数同时使用；请使用 page",
		"export a claim's dossier":                                           "导出申请档案",
		"is not a known program":                                             "不是已知的项目",
		"must be 1 to 6 digits of a region code":                             "须为 1 至 6 位行政区划代码",
		"must be a date such as 2026-01-31 (Beijing time)":                   "须为日期，如 2026-01-31（北京时间）",
		"must be a non-negative decimal amount such as 23456.78":             "须为不小于零的金额，如 23456.78",
		"must be a time in RFC 3339 form, such as 2026-01-31T08:00:00+08:00": "须为 RFC 3339 格式的时间，如 2026-01-31T08:00:00+08:00",
		"must be a whole number from 1":                                      "须为从 1 起的整数",
		"must be after from":                                                 "须晚于 from",
		"must be at most 200 characters":                                     "最多 200 个字符",
		"must be one of filed, -filed, amount, -amount":                      "须为以下之一：filed、-filed、amount、-amount",
		"must be one of json, csv, xlsx":                                     "须为以下之一：json、csv、xlsx",
		"must be one of micro, small, medium, large":                         "须为以下之一：micro、small、medium、large",
		"must be the next_cursor of a previous page":                         "须为上一页返回的 next_cursor",
		"must not be before from":                                            "不得早于 from",
		"must not be less than from_seq":                                     "不得小于 from_seq",
		"read reports":                                                       "查阅报表",
		"read the audit log":                                                 "查阅审计日志",
		"reports not available":                                              "报表暂不可用",
	})
}
