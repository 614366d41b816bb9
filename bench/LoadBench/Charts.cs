using System.Globalization;
using System.Net;
using System.Text;

namespace LoadBench;

/// <summary>Grouped bar charts as standalone SVG files (no charting library on the mirror; SVG is text).</summary>
internal static class Charts
{
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"];

    /// <summary>One chart: a group per label, a bar per series; values may be NaN (drawn as absent).</summary>
    public static string BarChart(string title, string unit, IReadOnlyList<string> groups, IReadOnlyList<string> series, Func<string, string, double> value)
    {
        const int Width = 900;
        const int Height = 420;
        const int Left = 70;
        const int Bottom = 90;
        const int Top = 40;
        var plotWidth = Width - Left - 20;
        var plotHeight = Height - Top - Bottom;
        var max = groups.SelectMany(g => series.Select(s => value(g, s))).Where(v => !double.IsNaN(v)).DefaultIfEmpty(1).Max();
        max = max <= 0 ? 1 : max * 1.1;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" font-family=\"sans-serif\" font-size=\"12\">\n");
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"22\" text-anchor=\"middle\" font-size=\"15\">{Escape(title)}</text>\n");
        for (var tick = 0; tick <= 5; tick++)
        {
            var v = max * tick / 5;
            var y = Top + plotHeight - (plotHeight * tick / 5.0);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{y:0.#}\" x2=\"{Width - 20}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/>\n");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{v.ToString(v >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture)}</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"16\" y=\"{Top + (plotHeight / 2)}\" transform=\"rotate(-90 16 {Top + (plotHeight / 2)})\" text-anchor=\"middle\">{Escape(unit)}</text>\n");
        var groupWidth = plotWidth / (double)Math.Max(1, groups.Count);
        var barWidth = groupWidth * 0.8 / Math.Max(1, series.Count);
        for (var g = 0; g < groups.Count; g++)
        {
            var x0 = Left + (g * groupWidth) + (groupWidth * 0.1);
            for (var s = 0; s < series.Count; s++)
            {
                var v = value(groups[g], series[s]);
                if (double.IsNaN(v))
                {
                    continue;
                }

                var h = plotHeight * v / max;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{x0 + (s * barWidth):0.#}\" y=\"{Top + plotHeight - h:0.#}\" width=\"{barWidth * 0.92:0.#}\" height=\"{h:0.#}\" fill=\"{Palette[s % Palette.Length]}\"><title>{Escape(series[s])}: {v.ToString("0.###", CultureInfo.InvariantCulture)}</title></rect>\n");
            }

            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x0 + (groupWidth * 0.4):0.#}\" y=\"{Top + plotHeight + 16}\" text-anchor=\"middle\">{Escape(groups[g])}</text>\n");
        }

        for (var s = 0; s < series.Count; s++)
        {
            var x = Left + (s * 140);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{Height - 40}\" width=\"12\" height=\"12\" fill=\"{Palette[s % Palette.Length]}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 16}\" y=\"{Height - 30}\">{Escape(series[s])}</text>\n");
        }

        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
