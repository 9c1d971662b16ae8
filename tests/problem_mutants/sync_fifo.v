// Bug: the read pointer advances on every rd_en, even when the FIFO is empty (missed edge case).
module top #(
    parameter DEPTH = 8,
    parameter WIDTH = 8
) (
    input  wire             clk,
    input  wire             rst,
    input  wire             wr_en,
    input  wire [WIDTH-1:0] din,
    input  wire             rd_en,
    output wire [WIDTH-1:0] dout,
    output wire             full,
    output wire             empty,
    output wire [3:0]       count
);
    localparam AW = (DEPTH <= 2) ? 1 : (DEPTH <= 4) ? 2 : 3;
    reg [WIDTH-1:0] mem [0:DEPTH-1];
    reg [AW-1:0] rd_ptr, wr_ptr;
    reg [3:0] used;
    wire do_wr = wr_en && (used != DEPTH);
    wire do_rd = rd_en && (used != 0);
    always @(posedge clk) begin
        if (rst) begin
            rd_ptr <= {AW{1'b0}};
            wr_ptr <= {AW{1'b0}};
            used   <= 4'd0;
        end else begin
            if (do_wr) begin
                mem[wr_ptr] <= din;
                wr_ptr <= wr_ptr + 1'b1;
            end
            if (rd_en) rd_ptr <= rd_ptr + 1'b1;
            used <= used + {3'd0, do_wr} - {3'd0, do_rd};
        end
    end
    assign dout  = mem[rd_ptr];
    assign count = used;
    assign empty = (used == 4'd0);
    assign full  = (used == DEPTH);
endmodule
