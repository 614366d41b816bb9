using System.Buffers.Binary;
using Packager.Hls;

namespace Packager.Tests.Hls;

public sealed class CodecStringsTests
{
    [Fact]
    public void Avc_strings_carry_profile_constraints_and_level_from_the_avcC_record()
    {
        Assert.Equal("avc1.64001f", CodecStrings.Avc("avc1", [1, 0x64, 0x00, 0x1f, 0xff]));
        Assert.Equal("avc1.42e01e", CodecStrings.Avc("avc1", [1, 0x42, 0xe0, 0x1e, 0xff]));
    }

    [Fact]
    public void Hevc_main_profile_strings_follow_iso_14496_15_annex_e()
    {
        // Main profile (1), compatibility flags 0x60000000 (reversed: 6), main tier, level 3.1 (93), constraint byte 0xB0.
        byte[] hvcC = [1, 0x01, 0x60, 0, 0, 0, 0xb0, 0, 0, 0, 0, 0, 93];
        Assert.Equal("hvc1.1.6.L93.B0", CodecStrings.Hevc("hvc1", hvcC));
    }

    [Fact]
    public void Hevc_main10_high_tier_strings_have_the_tier_letter()
    {
        byte[] hvcC = [1, 0x22, 0x20, 0, 0, 0, 0x90, 0, 0, 0, 0, 0, 150];
        Assert.Equal("hev1.2.4.H150.90", CodecStrings.Hevc("hev1", hvcC));
    }

    [Fact]
    public void Aac_lc_is_mp4a_40_2_from_the_esds_audio_object_type()
    {
        Assert.Equal("mp4a.40.2", CodecStrings.Mp4a(Esds(0x40, [0x11, 0x90])));
        Assert.Equal("mp4a.40.5", CodecStrings.Mp4a(Esds(0x40, [0x2b, 0x8a, 0x08, 0x00])));
    }

    [Fact]
    public void The_codec_of_an_init_segment_is_found_inside_moov_trak_mdia_minf_stbl_stsd()
    {
        var avcC = Box("avcC", [1, 0x64, 0x00, 0x28, 0xff, 0xe1]);
        var sampleEntry = Box("avc1", [.. new byte[78], .. avcC]);
        var stsd = Box("stsd", [0, 0, 0, 0, 0, 0, 0, 1, .. sampleEntry]);
        var init = Concat(Box("ftyp", System.Text.Encoding.ASCII.GetBytes("iso6")), Box("moov", Box("trak", Box("mdia", Box("minf", Box("stbl", stsd))))));

        Assert.Equal(["avc1.640028"], CodecStrings.FromInitSegment(init));
    }

    [Fact]
    public void An_init_segment_without_a_known_sample_entry_has_no_codec()
        => Assert.Empty(CodecStrings.FromInitSegment(Box("moov", Box("trak", []))));

    private static byte[] Esds(byte objectType, byte[] audioSpecificConfig)
    {
        byte[] decoderSpecific = [0x05, (byte)audioSpecificConfig.Length, .. audioSpecificConfig];
        byte[] decoderConfig = [0x04, (byte)(13 + decoderSpecific.Length), objectType, 0x15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, .. decoderSpecific];
        byte[] es = [0x03, (byte)(3 + decoderConfig.Length), 0, 1, 0, .. decoderConfig];
        return [0, 0, 0, 0, .. es];
    }

    private static byte[] Box(string type, byte[] body)
    {
        var box = new byte[8 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        System.Text.Encoding.ASCII.GetBytes(type, box.AsSpan(4));
        body.CopyTo(box, 8);
        return box;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
