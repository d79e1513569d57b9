"""The Belt and Road green technology reserve: entries, their categories, and validation.

The reserve is asked for by the 2022 Opinions on jointly promoting green development of the Belt
and Road (国家发展改革委等，《关于推进共建“一带一路”绿色发展的意见》, 2022, paragraph (十):
"建设‘一带一路’绿色技术储备库"). greenbri ships **no** technology entry: every entry is imported
by a user from a file and must name its source.
"""
